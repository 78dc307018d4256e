import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { TypingActions } from './typing.actions';

/** Per room, who is typing right now (user id → display name). */
export interface TypingState {
  readonly rooms: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const initialState: TypingState = { rooms: {} };

function without(state: TypingState, room: string, userId: string): TypingState {
  const typists = state.rooms[room];
  if (!typists || !(userId in typists)) return state;
  const { [userId]: _gone, ...rest } = typists;
  return { rooms: { ...state.rooms, [room]: rest } };
}

export const typingFeature = createFeature({
  name: 'typing',
  reducer: createReducer(
    initialState,
    on(ChatHubActions.typingReceived, (state, { typing: { room, user } }): TypingState => ({
      rooms: { ...state.rooms, [room]: { ...state.rooms[room], [user.id]: user.name } },
    })),
    on(TypingActions.expired, (state, { room, userId }): TypingState => without(state, room, userId)),
    // Their message arrived, so they have stopped typing it.
    on(ChatHubActions.messageReceived, (state, { message }): TypingState =>
      without(state, message.room, message.sender.id),
    ),
  ),
  extraSelectors: ({ selectRooms }) => ({
    /** Names of the other people typing in the room on screen; the server also echoes our own typing. */
    selectActiveTypists: createSelector(
      selectRooms,
      chatSelectors.selectActiveRoom,
      sessionFeature.selectUser,
      (rooms, room, user): readonly string[] =>
        Object.entries(rooms[room] ?? {})
          .filter(([id]) => id !== user?.id)
          .map(([, name]) => name)
          .sort(),
    ),
  }),
});

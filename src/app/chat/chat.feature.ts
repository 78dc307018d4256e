import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import { BrowserActions } from '../core/browser.actions';
import { ChatHubActions } from '../core/hub.actions';
import { historyReducers } from '../history/history.reducer';
import { messageActionsReducers } from '../message-actions/message-actions.reducer';
import { outboxReducers } from '../outbox/outbox.reducer';
import { RoomsApiActions } from '../rooms/rooms.actions';
import {
  type ChatState,
  GENERAL,
  initialChatState,
  messagesAdapter,
  newestIn,
  upsertChanged,
  upsertSent,
} from './chat.state';
import { ChatPageActions } from './chat-page.actions';

export { type ChatState, initialChatState } from './chat.state';

function markRead(state: ChatState, room: string): Record<string, string> {
  const newest = newestIn(state, room);
  return newest === undefined ? state.lastRead : { ...state.lastRead, [room]: newest };
}

/** Switches rooms: the one left is read up to now; the one opened remembers where reading stopped. */
function openRoom(state: ChatState, room: string): ChatState {
  if (room === state.activeRoom) return state;
  const lastRead = markRead(state, state.activeRoom);
  return {
    ...state,
    activeRoom: room,
    readMarker: lastRead[room] ?? null,
    lastRead: markRead({ ...state, lastRead }, room),
  };
}

export const chatFeature = createFeature({
  name: 'chat',
  reducer: createReducer(
    initialChatState,
    on(ChatPageActions.roomSelected, (state, { room }): ChatState => openRoom(state, room)),
    on(
      RoomsApiActions.roomCreated,
      RoomsApiActions.roomJoined,
      RoomsApiActions.directMessageOpened,
      (state, { room }): ChatState => openRoom(state, room.name),
    ),
    on(RoomsApiActions.roomLeft, (state, { room }): ChatState =>
      room === state.activeRoom ? openRoom(state, GENERAL) : state,
    ),
    on(BrowserActions.visibilityChanged, (state, { visible }): ChatState => {
      if (visible === state.visible) return state;
      const lastRead = markRead(state, state.activeRoom);
      return visible
        ? { ...state, visible, readMarker: state.lastRead[state.activeRoom] ?? null, lastRead }
        : { ...state, visible, lastRead };
    }),
    on(ChatHubActions.messageReceived, (state, { message }): ChatState => upsertSent([message], state)),
    on(ChatHubActions.messageChanged, (state, { message }): ChatState => upsertChanged([message], state)),
    ...outboxReducers,
    ...historyReducers,
    ...messageActionsReducers,
  ),
  extraSelectors: ({ selectChatState, selectActiveRoom }) => {
    const { selectAll } = messagesAdapter.getSelectors(selectChatState);
    return {
      selectAllMessages: selectAll,
      selectActiveMessages: createSelector(selectAll, selectActiveRoom, (messages, room) =>
        messages.filter((message) => message.room === room),
      ),
    };
  },
});

import { on } from '@ngrx/store';

import { type ChatState, GENERAL, messagesAdapter, openRoom } from '../messages/chat.state';
import { RoomAccessActions, RoomsApiActions } from './rooms.actions';

/**
 * A room the user created, joined or opened as a direct message opens; leaving the open room goes
 * back to general. A room lost (removed, banned) goes back to general too if it was open, and its
 * messages go from memory: they are no longer the user's to read.
 */
export const openRoomReducers = [
  on(
    RoomsApiActions.roomCreated,
    RoomsApiActions.roomJoined,
    RoomsApiActions.directMessageOpened,
    (state: ChatState, { room }): ChatState => openRoom(state, room.name),
  ),
  on(RoomsApiActions.roomLeft, (state: ChatState, { room }): ChatState =>
    room === state.activeRoom ? openRoom(state, GENERAL) : state,
  ),

  on(RoomAccessActions.roomLost, (state: ChatState, { room }): ChatState => {
    const next = room === state.activeRoom ? openRoom(state, GENERAL) : state;
    const held = next.ids.filter((id) => next.entities[id]?.room === room) as string[];
    const { [room]: _history, ...history } = next.history;
    const { [room]: _read, ...lastRead } = next.lastRead;
    return { ...messagesAdapter.removeMany(held, next), history, lastRead };
  }),
];

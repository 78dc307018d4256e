import { on } from '@ngrx/store';

import { type ChatState, GENERAL, openRoom } from '../messages/chat.state';
import { RoomsApiActions } from './rooms.actions';

/** A room the user created, joined or opened as a direct message opens; leaving the open room goes back to general. */
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
];

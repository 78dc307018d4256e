import { createSelector } from '@ngrx/store';

import { chatSelectors } from '../messages/chat.selectors';
import { roomsFeature } from './rooms.feature';

/** The open room as the room list has it (undefined until the list arrives). */
export const selectActiveRoomEntry = createSelector(
  chatSelectors.selectActiveRoom,
  roomsFeature.selectRoomEntities,
  (room, rooms) => rooms[room],
);

/**
 * Rooms have an owner (and general its moderators) who may delete anyone's message; the room
 * list does not say who, so the option is offered in every room and the server decides.
 */
export const selectMayModerate = createSelector(selectActiveRoomEntry, (room) => room?.moderator === true);

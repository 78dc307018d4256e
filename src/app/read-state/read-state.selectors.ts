import { createSelector } from '@ngrx/store';

import { selectCatchUpCursors } from '../history/history.selectors';
import { readStateFeature } from './read-state.feature';

export interface ReadTarget {
  readonly room: string;
  /** The newest change number this tab holds of the room; undefined: the room's newest. */
  readonly seq: number | undefined;
  readonly unread: number;
}

/**
 * What the room on screen should be marked read up to, or null when there is nothing to mark: it
 * is on screen (tab visible, not held unread), scrolled to its end, and the server's position is
 * behind what this tab holds (or counts something unread).
 */
export const selectReadTarget = createSelector(
  readStateFeature.selectRoomOnScreen,
  readStateFeature.selectAtEnd,
  readStateFeature.selectRooms,
  selectCatchUpCursors,
  (room, atEnd, rooms, cursors): ReadTarget | null => {
    if (room === null || !atEnd) return null;
    const held = rooms[room];
    if (!held) return null;
    const cursor: number | undefined = cursors[room];
    if (held.unread === 0 && (cursor === undefined || cursor <= held.readSeq)) return null;
    return { room, seq: cursor, unread: held.unread };
  },
);

import { createSelector } from '@ngrx/store';

import { chatSelectors } from '../messages/chat.selectors';
import { emptyHistory } from '../messages/room-history';

/** Per room, whether its history is loaded, whether there is more, and what went wrong. */
export const selectRoomHistories = chatSelectors.selectHistory;

/** Per room, the oldest and newest message the server has confirmed: the cursor for paging back. */
export const selectRoomBounds = createSelector(chatSelectors.selectAllMessages, (messages) => {
  const bounds: Record<string, { oldest: string; newest: string }> = {};
  for (const message of messages) {
    if (message.status !== 'sent') continue;
    const current = bounds[message.room];
    if (current) current.newest = message.id;
    else bounds[message.room] = { oldest: message.id, newest: message.id };
  }
  return bounds;
});

/**
 * Per room, the change number to catch up from: the one the room holds everything up to; for a
 * room only live events have filled (never opened), from just before the oldest change it holds.
 */
export const selectCatchUpCursors = createSelector(
  selectRoomHistories,
  chatSelectors.selectAllMessages,
  (history, messages): Readonly<Record<string, number>> => {
    const cursors: Record<string, number> = {};
    for (const [room, { cursor }] of Object.entries(history)) if (cursor !== null) cursors[room] = cursor;
    const lowest: Record<string, number> = {};
    for (const { room, seq, status } of messages) {
      if (status !== 'sent' || seq === undefined || room in cursors) continue;
      lowest[room] = Math.min(lowest[room] ?? seq, seq);
    }
    for (const [room, seq] of Object.entries(lowest)) cursors[room] = seq - 1;
    return cursors;
  },
);

export const selectActiveHistory = createSelector(
  selectRoomHistories,
  chatSelectors.selectActiveRoom,
  (history, room) => history[room] ?? emptyHistory,
);

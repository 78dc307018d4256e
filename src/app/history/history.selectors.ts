import { createSelector } from '@ngrx/store';

import { chatFeature } from '../chat/chat.feature';
import { emptyHistory } from './room-history';

/** Per room, whether its history is loaded, whether there is more, and what went wrong. */
export const selectRoomHistories = chatFeature.selectHistory;

/** Per room, the oldest and newest message the server has confirmed: the cursors for paging and catch-up. */
export const selectRoomBounds = createSelector(chatFeature.selectAllMessages, (messages) => {
  const bounds: Record<string, { oldest: string; newest: string }> = {};
  for (const message of messages) {
    if (message.status !== 'sent') continue;
    const current = bounds[message.room];
    if (current) current.newest = message.id;
    else bounds[message.room] = { oldest: message.id, newest: message.id };
  }
  return bounds;
});

export const selectActiveHistory = createSelector(
  selectRoomHistories,
  chatFeature.selectActiveRoom,
  (history, room) => history[room] ?? emptyHistory,
);

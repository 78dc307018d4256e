import { createSelector } from '@ngrx/store';

import { chatFeature } from '../chat/chat.feature';

/** Messages the server has not confirmed yet, in the order they were written. */
export const selectOutbox = createSelector(chatFeature.selectAllMessages, (messages) =>
  messages.filter((message) => message.status !== 'sent'),
);

/** What went wrong with a send in the room on screen, for the composer. */
export const selectActiveComposerError = createSelector(
  chatFeature.selectComposerError,
  chatFeature.selectActiveRoom,
  (error, room) => (error?.room === room ? error.message : null),
);

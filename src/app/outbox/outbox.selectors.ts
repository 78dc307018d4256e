import { createSelector } from '@ngrx/store';

import { chatSelectors } from '../messages/chat.selectors';

/** Messages the server has not confirmed yet, in the order they were written. */
export const selectOutbox = createSelector(chatSelectors.selectAllMessages, (messages) =>
  messages.filter((message) => message.status !== 'sent'),
);

/** What went wrong with a send in the room on screen, for the composer. */
export const selectActiveComposerError = createSelector(
  chatSelectors.selectComposerError,
  chatSelectors.selectActiveRoom,
  (error, room) => (error?.room === room ? error.message : null),
);

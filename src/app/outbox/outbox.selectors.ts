import { createSelector } from '@ngrx/store';

import type { HubState } from '../core/chat-hub';
import { connectionFeature } from '../core/connection.feature';
import { chatSelectors } from '../messages/chat.selectors';
import { UNREACHABLE_TEXT } from './send-policy';

/** Messages the server has not confirmed yet, in the order they were written. */
export const selectOutbox = createSelector(chatSelectors.selectAllMessages, (messages) =>
  messages.filter((message) => message.status !== 'sent'),
);

/**
 * The one connection state the header shows and the composer follows: the live connection's,
 * except that it is "offline" while the browser says so (attempts to connect go on underneath),
 * and not "connected" while a send finds no server at all (the socket may not have noticed yet,
 * or only the API is down).
 */
export const selectConnectionStatus = createSelector(
  connectionFeature.selectState,
  connectionFeature.selectOnline,
  chatSelectors.selectServerUnreachable,
  (state, online, unreachable): HubState =>
    !online ? 'disconnected' : state === 'connected' && unreachable ? 'reconnecting' : state,
);

/**
 * What went wrong with a send in the room on screen, for the composer; and while messages wait
 * for a server that cannot be reached (by the same state the header shows), that they will go
 * out when it is back.
 */
export const selectActiveComposerError = createSelector(
  chatSelectors.selectComposerError,
  chatSelectors.selectActiveRoom,
  selectOutbox,
  chatSelectors.selectServerUnreachable,
  selectConnectionStatus,
  (error, room, outbox, unreachable, status) => {
    if (error?.room === room) return error.message;
    const waiting = outbox.some((message) => message.status === 'pending' || message.retryable === true);
    return waiting && (unreachable || status === 'disconnected') ? UNREACHABLE_TEXT : null;
  },
);

import { on } from '@ngrx/store';

import { AttachmentsOutboxActions } from '../attachments/attachments.actions';
import { type ChatState, messagesAdapter, upsertSent } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { clearError } from '../messages/composer-error';
import { MessagesApiActions, OutboxActions, RateLimitActions } from './outbox.actions';

/** Delivery: a message is pending until the server has it, or failed; what went wrong shows in the composer. */
export const outboxReducers = [
  on(
    ChatPageActions.messageSent,
    AttachmentsOutboxActions.messageReleased,
    (state: ChatState, { message }): ChatState => ({
      ...messagesAdapter.addOne({ ...message, status: 'pending' }, state),
      composerError: clearError(state.composerError, 'send', message.room),
    }),
  ),
  on(ChatPageActions.retryClicked, (state: ChatState, { message }): ChatState => {
    const current = state.entities[message.id];
    return current?.status === 'failed'
      ? {
          ...messagesAdapter.updateOne({ id: message.id, changes: { status: 'pending', retryable: undefined } }, state),
          composerError: clearError(state.composerError, 'send', message.room),
        }
      : state;
  }),
  on(OutboxActions.restored, (state: ChatState, { messages }): ChatState =>
    messagesAdapter.addMany(
      messages.map((message) => ({ ...message, status: 'pending' as const })),
      state,
    ),
  ),
  on(MessagesApiActions.sendSucceeded, (state: ChatState, { message }): ChatState => ({
    ...upsertSent([message], state),
    // The server answers again, so "can't reach the server" is over.
    composerError: clearError(state.composerError, 'delay', message.room),
    serverUnreachable: false,
  })),
  // No server at all is the connection's state, which the header and the composer both show
  // (selectConnectionStatus), rather than an error of this one send.
  on(MessagesApiActions.sendDelayed, (state: ChatState, { room, error, unreachable }): ChatState => {
    if (unreachable) return { ...state, serverUnreachable: true };
    return state.composerError?.kind === 'rate' && state.composerError.room === room
      ? state
      : { ...state, composerError: { room, message: error, kind: 'delay' } };
  }),
  on(
    MessagesApiActions.sendFailed,
    (state: ChatState, { id, room, error, retryable, retryAfterSeconds, unreachable }): ChatState => {
      const current = state.entities[id];
      if (!current || current.status === 'sent') return state;
      const failed = messagesAdapter.updateOne({ id, changes: { status: 'failed', retryable } }, state);
      if (unreachable) return { ...failed, serverUnreachable: true };
      const kind = retryAfterSeconds !== undefined ? 'rate' : retryable ? 'delay' : 'send';
      if (kind === 'delay' && state.composerError?.kind === 'rate' && state.composerError.room === room) return failed;
      return { ...failed, composerError: { room, message: error, kind } };
    },
  ),
  on(RateLimitActions.waitOver, (state: ChatState, { room }): ChatState => ({
    ...state,
    composerError: clearError(state.composerError, 'rate', room),
  })),
];

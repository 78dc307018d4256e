import { createActionGroup, props } from '@ngrx/store';

import type { Message } from '../../../contract';
import type { ChatMessage } from '../messages/chat-message';

/** How a send went. */
export const MessagesApiActions = createActionGroup({
  source: 'Messages API',
  events: {
    'Send Succeeded': props<{ message: Message }>(),
    /**
     * An attempt failed for want of a server; the message is still pending and will be retried.
     * `unreachable`: no answer at all (offline, timed out), which the connection state shows.
     */
    'Send Delayed': props<{ id: string; room: string; error: string; unreachable?: boolean }>(),
    'Send Failed': props<{
      id: string;
      room: string;
      error: string;
      retryable: boolean;
      retryAfterSeconds?: number;
      unreachable?: boolean;
    }>(),
  },
});

export const OutboxActions = createActionGroup({
  source: 'Outbox',
  events: {
    Restored: props<{ messages: readonly ChatMessage[] }>(),
  },
});

export const RateLimitActions = createActionGroup({
  source: 'Rate Limit Timer',
  events: {
    'Wait Over': props<{ room: string }>(),
  },
});

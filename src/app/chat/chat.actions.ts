import { createActionGroup, props } from '@ngrx/store';
import type { Message } from '../../../contract';
import type { ChatMessage } from './chat-message';

export const ChatPageActions = createActionGroup({
  source: 'Chat Page',
  events: {
    'Room Selected': props<{ room: string }>(),
    'Message Sent': props<{ message: ChatMessage }>(),
    'Retry Clicked': props<{ message: ChatMessage }>(),
    'Older Messages Requested': props<{ room: string }>(),
    Typed: props<{ room: string }>(),
  },
});

export const BrowserActions = createActionGroup({
  source: 'Browser',
  events: {
    'Visibility Changed': props<{ visible: boolean }>(),
  },
});

export const MessagesApiActions = createActionGroup({
  source: 'Messages API',
  events: {
    'Send Succeeded': props<{ message: Message }>(),
    /** An attempt failed for want of a server; the message is still pending and will be retried. */
    'Send Delayed': props<{ id: string; room: string; error: string }>(),
    'Send Failed': props<{ id: string; room: string; error: string; retryable: boolean; retryAfterSeconds?: number }>(),
    'History Loaded': props<{ room: string; messages: readonly Message[]; hasMore: boolean }>(),
    'History Failed': props<{ room: string; error: string }>(),
    'Older Loaded': props<{ room: string; messages: readonly Message[]; hasMore: boolean }>(),
    'Older Failed': props<{ room: string; error: string }>(),
    'Caught Up': props<{ room: string; messages: readonly Message[] }>(),
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

export const TypingActions = createActionGroup({
  source: 'Typing Timer',
  events: {
    Expired: props<{ room: string; userId: string }>(),
  },
});

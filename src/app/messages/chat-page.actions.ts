import { createActionGroup, props } from '@ngrx/store';

import type { ChatMessage } from './chat-message';

/** What the user did on the chat page; the outbox, history and typing features each react to their part. */
export const ChatPageActions = createActionGroup({
  source: 'Chat Page',
  events: {
    'Room Selected': props<{ room: string }>(),
    'Message Sent': props<{ message: ChatMessage }>(),
    'Retry Clicked': props<{ message: ChatMessage }>(),
    'Older Messages Requested': props<{ room: string }>(),
    /** A reply's quote was followed to a message that is not loaded: page back until it is. */
    'Quoted Message Requested': props<{ room: string; id: string }>(),
    Typed: props<{ room: string }>(),
  },
});

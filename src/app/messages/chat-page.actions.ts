import { createActionGroup, props } from '@ngrx/store';

import type { ChatMessage } from './chat-message';

/** What the user did on the chat page; the outbox, history and typing features each react to their part. */
export const ChatPageActions = createActionGroup({
  source: 'Chat Page',
  events: {
    /** A room was opened: from the sidebar, or by its address (a link, a reload, Back or Forward). */
    'Room Selected': props<{ room: string }>(),
    /** A message's address was opened (a link, a notification, a reload): show the page around it. */
    'Message Link Opened': props<{ room: string; id: string }>(),
    'Message Sent': props<{ message: ChatMessage }>(),
    'Retry Clicked': props<{ message: ChatMessage }>(),
    'Older Messages Requested': props<{ room: string }>(),
    /** A reply's quote was followed to a message that is not loaded: page back until it is. */
    'Quoted Message Requested': props<{ room: string; id: string }>(),
    Typed: props<{ room: string }>(),
  },
});

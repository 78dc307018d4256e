import { createActionGroup, props } from '@ngrx/store';

import type { ReadState } from '../../../contract';

/** Where the reader is in the open room's message list. */
export const MessageListActions = createActionGroup({
  source: 'Message List',
  events: {
    /** `atEnd`: the newest messages are on screen (the list is scrolled to its end). */
    'Reading Position Changed': props<{ room: string; atEnd: boolean }>(),
    'Mark Unread Clicked': props<{ room: string; messageId: string }>(),
  },
});

export const ReadStateApiActions = createActionGroup({
  source: 'Read State API',
  events: {
    'Read State Loaded': props<{ rooms: readonly ReadState[] }>(),
    'Read State Load Failed': props<{ error: string }>(),
    /** The server's answer to a read, unread or notification-level change. */
    'Read State Changed': props<{ state: ReadState }>(),
    'Read State Change Failed': props<{ room: string; error: string }>(),
  },
});

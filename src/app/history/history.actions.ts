import { createActionGroup, props } from '@ngrx/store';

import type { Message } from '../../../contract';

/** What the history endpoint answered: a room's newest page, an older page, or what was missed while offline. */
export const HistoryApiActions = createActionGroup({
  source: 'Messages API',
  events: {
    'History Loaded': props<{ room: string; messages: readonly Message[]; hasMore: boolean }>(),
    'History Failed': props<{ room: string; error: string }>(),
    'Older Loaded': props<{ room: string; messages: readonly Message[]; hasMore: boolean }>(),
    'Older Failed': props<{ room: string; error: string }>(),
    'Caught Up': props<{ room: string; messages: readonly Message[] }>(),
  },
});

import { createActionGroup, props } from '@ngrx/store';

import type { Message } from '../../../contract';

/**
 * What the history endpoint answered: a room's newest page, an older page, what changed while we
 * were away, or whether a quoted message was found by paging back.
 */
export const HistoryApiActions = createActionGroup({
  source: 'Messages API',
  events: {
    'History Loaded': props<{ room: string; messages: readonly Message[]; hasMore: boolean; cursor: number }>(),
    /** `status`: the server's answer (403 not a member, 404 no room the user may see), 0 for none. */
    'History Failed': props<{ room: string; error: string; status: number }>(),
    'Older Loaded': props<{ room: string; messages: readonly Message[]; hasMore: boolean }>(),
    'Older Failed': props<{ room: string; error: string }>(),
    'Caught Up': props<{ room: string; messages: readonly Message[]; cursor: number }>(),
    'Quoted Message Found': props<{ room: string; id: string }>(),
    'Quoted Message Missing': props<{ room: string; id: string }>(),
  },
});

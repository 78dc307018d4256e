import { createActionGroup, props } from '@ngrx/store';

import type { UserRef } from '../../../contract';

export const MentionListActions = createActionGroup({
  source: 'Mention List',
  events: {
    /** The composer's `@` word changed: `query` is what follows the `@` ('' right after typing it). */
    Searched: props<{ room: string; query: string }>(),
  },
});

export const MembersApiActions = createActionGroup({
  source: 'Members API',
  events: {
    /** `complete`: the answer holds every member whose name starts with `query` (no further page). */
    'Members Found': props<{ room: string; query: string; members: readonly UserRef[]; complete: boolean }>(),
    /** People looked up by id because a message mentions them and no list had shown them. */
    'People Found': props<{ people: readonly UserRef[] }>(),
  },
});

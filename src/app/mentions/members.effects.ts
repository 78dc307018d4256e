import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import {
  asyncScheduler,
  catchError,
  debounceTime,
  distinctUntilChanged,
  EMPTY,
  filter,
  map,
  merge,
  type SchedulerLike,
  switchMap,
} from 'rxjs';

import { DM_PREFIX } from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { chatFeature } from '../chat/chat.feature';
import { MembersApiActions, MentionListActions } from './members.actions';
import { MembersApi } from './members-api';

/** How long typing must pause before the `@` list asks the server (each key would be a request). */
const MEMBER_SEARCH_DEBOUNCE_MS = 150;

/**
 * Whom the `@` list offers comes from the server: the room's members are fetched when the room
 * opens, and the server is asked again, by name prefix, as the user types after `@` (a room may
 * have more members than one page). Direct messages carry their two members already. A failed
 * search keeps what is known: the list is a help, and the server checks every mention anyway.
 */
export const searchMembers = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    api = inject(MembersApi),
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    const opened$ = store.select(sessionFeature.selectUser).pipe(
      switchMap((user) => (user ? store.select(chatFeature.selectActiveRoom) : EMPTY)),
      distinctUntilChanged(),
      map((room) => ({ room, query: '' })),
    );
    const typed$ = actions$.pipe(
      ofType(MentionListActions.searched),
      debounceTime(MEMBER_SEARCH_DEBOUNCE_MS, scheduler),
      map(({ room, query }) => ({ room, query })),
    );
    return merge(opened$, typed$).pipe(
      filter(({ room }) => !room.startsWith(DM_PREFIX)),
      switchMap(({ room, query }) =>
        api.search(room, query).pipe(
          map(({ members, cursor }) =>
            MembersApiActions.membersFound({ room, query, members, complete: cursor === undefined }),
          ),
          catchError(() => EMPTY),
        ),
      ),
    );
  },
  { functional: true },
);

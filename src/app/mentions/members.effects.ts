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
  mergeMap,
  type SchedulerLike,
  switchMap,
} from 'rxjs';

import { DM_PREFIX, MAX_LIST_LIMIT } from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { chatSelectors } from '../messages/chat.selectors';
import { MembersApiActions, MentionListActions } from './members.actions';
import { MembersApi } from './members-api';
import { selectUnknownMentioned } from './mention.selectors';

/** How long typing must pause before the `@` list asks the server (each key would be a request). */
const MEMBER_SEARCH_DEBOUNCE_MS = 150;
/** Messages arrive in bursts (a history page): their unknown names are asked for together. */
const LOOKUP_DEBOUNCE_MS = 100;

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
      switchMap((user) => (user ? store.select(chatSelectors.selectActiveRoom) : EMPTY)),
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

/**
 * A message may mention someone no list this tab loaded has shown (`general` with more people than
 * a page, someone who left the room): their names are looked up by id, a page of ids at a time,
 * once each (an id the server does not know stays shown as "someone"; a failed lookup is asked
 * again when the messages next change).
 */
export const lookUpMentioned = createEffect(
  (store = inject(Store), api = inject(MembersApi), scheduler: SchedulerLike = asyncScheduler) => {
    const asked = new Set<string>();
    return store.select(selectUnknownMentioned).pipe(
      debounceTime(LOOKUP_DEBOUNCE_MS, scheduler),
      map((ids) => ids.filter((id) => !asked.has(id)).slice(0, MAX_LIST_LIMIT)),
      filter((ids) => ids.length > 0),
      mergeMap((ids) => {
        for (const id of ids) asked.add(id);
        return api.people(ids).pipe(
          map((people) => MembersApiActions.peopleFound({ people })),
          catchError(() => {
            for (const id of ids) asked.delete(id);
            return EMPTY;
          }),
        );
      }),
    );
  },
  { functional: true },
);

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import {
  asyncScheduler,
  catchError,
  EMPTY,
  exhaustMap,
  filter,
  map,
  of,
  type SchedulerLike,
  switchMap,
  timer,
} from 'rxjs';

import { PRESENCE_HEARTBEAT_MS } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { apiErrorOf } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { UsersApiActions } from './people.actions';
import { PeopleApi } from './people-api';

/** Everyone and whether they are online; presence events keep it current between loads. */
export const loadUsers = createEffect(
  (actions$ = inject(Actions), api = inject(PeopleApi)) => {
    return actions$.pipe(
      ofType(SessionApiActions.signedIn, ChatHubActions.stateChanged),
      filter((action) => !('state' in action) || action.state === 'connected'),
      switchMap(() =>
        api.users().pipe(
          map((users) => UsersApiActions.usersLoaded({ users })),
          catchError((error: unknown) => of(UsersApiActions.usersLoadFailed({ error: apiErrorOf(error).message }))),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * While connected, tells the server every PRESENCE_HEARTBEAT_MS that this tab is still there:
 * presence expires without it (a SignalR Service restart loses disconnects). Failures are silent.
 */
export const heartbeat = createEffect(
  (actions$ = inject(Actions), api = inject(PeopleApi), scheduler: SchedulerLike = asyncScheduler) => {
    return actions$.pipe(
      ofType(ChatHubActions.stateChanged),
      map(({ state }) => state === 'connected'),
      switchMap((connected) =>
        connected
          ? timer(PRESENCE_HEARTBEAT_MS, PRESENCE_HEARTBEAT_MS, scheduler).pipe(
              exhaustMap(() => api.heartbeat().pipe(catchError(() => EMPTY))),
            )
          : EMPTY,
      ),
    );
  },
  { functional: true, dispatch: false },
);

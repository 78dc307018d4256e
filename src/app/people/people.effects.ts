import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import {
  asyncScheduler,
  catchError,
  distinctUntilChanged,
  EMPTY,
  filter,
  map,
  type Observable,
  of,
  type SchedulerLike,
  switchMap,
  timer,
} from 'rxjs';

import { PRESENCE_HEARTBEAT_MS } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { apiErrorOf } from '../core/api-client';
import { Away } from '../core/away';
import { ChatHubActions } from '../core/hub.actions';
import { StatusClockActions, UsersApiActions } from './people.actions';
import { PeopleApi } from './people-api';
import { usersFeature } from './users.feature';

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
 * While connected, tells the server every PRESENCE_HEARTBEAT_MS that this tab is still there and
 * whether the person is away (presence expires without it: a SignalR Service restart loses
 * disconnects). A change between away and back is said at once, as is being away on connecting.
 * Failures are silent.
 */
export const heartbeat = createEffect(
  (
    actions$ = inject(Actions),
    api = inject(PeopleApi),
    scheduler: SchedulerLike = asyncScheduler,
    away$: Observable<boolean> = inject(Away).away$,
  ) => {
    return actions$.pipe(
      ofType(ChatHubActions.stateChanged),
      map(({ state }) => state === 'connected'),
      switchMap((connected) =>
        connected
          ? away$.pipe(
              distinctUntilChanged(),
              switchMap((away, index) =>
                timer(index === 0 && !away ? PRESENCE_HEARTBEAT_MS : 0, PRESENCE_HEARTBEAT_MS, scheduler).pipe(
                  map(() => away),
                ),
              ),
            )
          : EMPTY,
      ),
      // The latest word wins: a beat still under way when the person comes back is dropped.
      switchMap((away) => api.heartbeat(away).pipe(catchError(() => EMPTY))),
    );
  },
  { functional: true, dispatch: false },
);

/** A status ends at its `expiresAt` on every screen by itself: the server sends nothing then. */
export const expireStatuses = createEffect(
  (store = inject(Store), scheduler: SchedulerLike = asyncScheduler) => {
    return store.select(usersFeature.selectNextStatusExpiry).pipe(
      distinctUntilChanged(),
      switchMap((at) =>
        at === null
          ? EMPTY
          : timer(Math.max(0, at - scheduler.now()), scheduler).pipe(
              map(() => StatusClockActions.statusesExpired({ now: Math.max(at, scheduler.now()) })),
            ),
      ),
    );
  },
  { functional: true },
);

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { catchError, filter, map, of, switchMap } from 'rxjs';

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

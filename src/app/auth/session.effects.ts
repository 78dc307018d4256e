import { inject } from '@angular/core';
import { Actions, createEffect, ofType, ROOT_EFFECTS_INIT } from '@ngrx/effects';
import { catchError, exhaustMap, map, of } from 'rxjs';

import { apiErrorOf } from '../core/api-client';
import { SessionApiActions, SignInPageActions } from './session.actions';
import { SessionApi } from './session-api';

/** Asks who is signed in when the app starts, and when the user retries after a failure. */
export const loadSession = createEffect(
  (actions$ = inject(Actions), api = inject(SessionApi)) => {
    return actions$.pipe(
      ofType(ROOT_EFFECTS_INIT, SignInPageActions.retryClicked),
      exhaustMap(() =>
        api.me().pipe(
          map((user) => (user ? SessionApiActions.signedIn({ user }) : SessionApiActions.signedOut())),
          catchError((error: unknown) => of(SessionApiActions.loadFailed({ error: apiErrorOf(error).message }))),
        ),
      ),
    );
  },
  { functional: true },
);

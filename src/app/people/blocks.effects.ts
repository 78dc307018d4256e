import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { catchError, EMPTY, filter, map, mergeMap, of, switchMap } from 'rxjs';

import { SessionApiActions } from '../auth/session.actions';
import { apiErrorOf } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { BlocksApi } from './blocks-api';
import { BlocksApiActions, PeopleListActions } from './people.actions';

/** Whom the user blocked, on sign-in and each (re)connect (another tab or device may have changed it). */
export const loadBlocks = createEffect(
  (actions$ = inject(Actions), api = inject(BlocksApi)) => {
    return actions$.pipe(
      ofType(SessionApiActions.signedIn, ChatHubActions.stateChanged),
      filter((action) => !('state' in action) || action.state === 'connected'),
      switchMap(() =>
        api.list().pipe(
          map((users) => BlocksApiActions.blocksLoaded({ users })),
          catchError((error: unknown) => of(BlocksApiActions.blocksLoadFailed({ error: apiErrorOf(error).message }))),
        ),
      ),
    );
  },
  { functional: true },
);

/** Blocks or unblocks (already shown); a refusal puts it back with the server's reason. mergeMap: no change is cancelled. */
export const changeBlock = createEffect(
  (actions$ = inject(Actions), api = inject(BlocksApi)) => {
    return actions$.pipe(
      ofType(PeopleListActions.blockClicked, PeopleListActions.unblockClicked),
      mergeMap((action) => {
        const blocking = action.type === PeopleListActions.blockClicked.type;
        const request = blocking ? api.block(action.user.id) : api.unblock(action.user.id);
        return request.pipe(
          mergeMap(() => EMPTY),
          catchError((error: unknown) => {
            const failed = { user: action.user, error: apiErrorOf(error).message };
            return of(blocking ? BlocksApiActions.blockFailed(failed) : BlocksApiActions.unblockFailed(failed));
          }),
        );
      }),
    );
  },
  { functional: true },
);

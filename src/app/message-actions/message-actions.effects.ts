import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import {
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  groupBy,
  map,
  mergeMap,
  Observable,
  of,
  retry,
  type SchedulerLike,
  throwError,
  timer,
} from 'rxjs';

import type { Message } from '../../../contract';
import { apiErrorOf } from '../core/api-client';
import { changeErrorText } from './change-error';
import { MessageActionsApiActions, MessageMenuActions } from './message-actions.actions';
import { MessageActionsApi } from './message-actions-api';

type Change =
  | ReturnType<typeof MessageMenuActions.editSaved>
  | ReturnType<typeof MessageMenuActions.deleteConfirmed>
  | ReturnType<typeof MessageMenuActions.reactionToggled>;

function request(api: MessageActionsApi, change: Change): Observable<Message> {
  const { room, id } = change.message;
  switch (change.type) {
    case MessageMenuActions.editSaved.type:
      return api.edit(room, id, change);
    case MessageMenuActions.deleteConfirmed.type:
      return api.remove(room, id);
    default:
      return api.react(room, id, change.emoji, change.add);
  }
}

/** Waits before retrying a change that got no answer or a server failure; after the last, it is given up. */
const CHANGE_RETRY_DELAYS: readonly number[] = [1_000, 2_000, 4_000, 8_000];

/**
 * Sends each change to a message. Changes to one message go one at a time in the order made
 * (concatMap), so their answers come back in order too; different messages do not wait for
 * each other (mergeMap). Nothing is cancelled: every change made is sent.
 *
 * Every change is idempotent (an edit carries its revision, a reaction says add or remove), so
 * one that got no answer or a 5xx — which may have been stored all the same, e.g. when only its
 * broadcast failed — is simply sent again; the answer is the message as it now is.
 */
export const changeMessages = createEffect(
  (
    actions$ = inject(Actions),
    api = inject(MessageActionsApi),
    delays: readonly number[] = CHANGE_RETRY_DELAYS,
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    return actions$.pipe(
      ofType(MessageMenuActions.editSaved, MessageMenuActions.deleteConfirmed, MessageMenuActions.reactionToggled),
      groupBy((change) => change.message.id),
      mergeMap((message$) =>
        message$.pipe(
          concatMap((change) =>
            defer(() => request(api, change)).pipe(
              retry({
                count: delays.length,
                delay: (error: unknown, attempt) =>
                  apiErrorOf(error).transient ? timer(delays[attempt - 1] ?? 0, scheduler) : throwError(() => error),
              }),
              map((message) => MessageActionsApiActions.changeSaved({ message })),
              catchError((error: unknown) =>
                of(
                  MessageActionsApiActions.changeFailed({
                    previous: change.message,
                    error: changeErrorText(apiErrorOf(error)),
                  }),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

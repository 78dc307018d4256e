import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { catchError, concatMap, groupBy, map, mergeMap, Observable, of } from 'rxjs';

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
      return api.edit(room, id, change.text, change.revision);
    case MessageMenuActions.deleteConfirmed.type:
      return api.remove(room, id);
    default:
      return api.react(room, id, change.emoji, change.add);
  }
}

/**
 * Sends each change to a message. Changes to one message go one at a time in the order made
 * (concatMap), so their answers come back in order too; different messages do not wait for
 * each other (mergeMap). Nothing is cancelled: every change made is sent.
 */
export const changeMessages = createEffect(
  (actions$ = inject(Actions), api = inject(MessageActionsApi)) => {
    return actions$.pipe(
      ofType(MessageMenuActions.editSaved, MessageMenuActions.deleteConfirmed, MessageMenuActions.reactionToggled),
      groupBy((change) => change.message.id),
      mergeMap((message$) =>
        message$.pipe(
          concatMap((change) =>
            request(api, change).pipe(
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

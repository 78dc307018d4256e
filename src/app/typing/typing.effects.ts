import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import {
  asyncScheduler,
  catchError,
  EMPTY,
  groupBy,
  map,
  mergeMap,
  type SchedulerLike,
  switchMap,
  throttleTime,
  timer,
} from 'rxjs';

import { ChatHubActions } from '../core/hub.actions';
import { ChatPageActions } from '../messages/chat-page.actions';
import { TypingActions } from './typing.actions';
import { TypingApi } from './typing-api';

/** Tells the room the user is typing, at most once every 2.5 s per room. */
export const announceTyping = createEffect(
  (actions$ = inject(Actions), api = inject(TypingApi), scheduler: SchedulerLike = asyncScheduler) => {
    return actions$.pipe(
      ofType(ChatPageActions.typed),
      groupBy(({ room }) => room),
      mergeMap((room$) =>
        room$.pipe(
          throttleTime(2_500, scheduler),
          mergeMap(({ room }) => api.typing(room).pipe(catchError(() => EMPTY))),
        ),
      ),
    );
  },
  { functional: true, dispatch: false },
);

/** "X is typing…" lasts 5 s after that person's latest typing event. */
export const expireTyping = createEffect(
  (actions$ = inject(Actions), scheduler: SchedulerLike = asyncScheduler) => {
    return actions$.pipe(
      ofType(ChatHubActions.typingReceived),
      groupBy(({ typing }) => `${typing.room}\n${typing.user.id}`),
      mergeMap((typist$) =>
        typist$.pipe(
          switchMap(({ typing }) =>
            timer(5_000, scheduler).pipe(
              map(() => TypingActions.expired({ room: typing.room, userId: typing.user.id })),
            ),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { asyncScheduler, exhaustMap, map, merge, retry, timer, type SchedulerLike } from 'rxjs';
import { SessionApiActions } from '../auth/session.actions';
import { ChatHub, reconnectDelay } from './chat-hub';
import { ChatHubActions } from './hub.actions';

/** The hub's state and events, as actions. */
export const hubEvents = createEffect(
  (hub = inject(ChatHub)) => {
    return merge(
      hub.state$.pipe(map((state) => ChatHubActions.stateChanged({ state }))),
      hub.newMessage$.pipe(map((message) => ChatHubActions.messageReceived({ message }))),
      hub.typing$.pipe(map((typing) => ChatHubActions.typingReceived({ typing }))),
      hub.presence$.pipe(map((presence) => ChatHubActions.presenceChanged({ presence }))),
    );
  },
  { functional: true },
);

/**
 * Connects once signed in, and again whenever the connection closes for good. Automatic
 * reconnect covers a dropped connection; this covers a first start that fails (API down,
 * offline) and a close after reconnecting gave up, retrying with the same backoff for ever.
 */
export const keepConnected = createEffect(
  (
    actions$ = inject(Actions),
    hub = inject(ChatHub),
    scheduler: SchedulerLike = asyncScheduler,
    delay: (attempt: number) => number = reconnectDelay,
  ) => {
    return merge(actions$.pipe(ofType(SessionApiActions.signedIn)), hub.closed$).pipe(
      exhaustMap(() =>
        hub.start().pipe(retry({ delay: (_error, attempt) => timer(Math.max(delay(attempt), 1_000), scheduler) })),
      ),
    );
  },
  { functional: true, dispatch: false },
);

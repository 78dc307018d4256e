import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { asyncScheduler, exhaustMap, map, merge, Observable, retry, type SchedulerLike, take, timer } from 'rxjs';

import { browserOnline } from '../core/browser-online';
import { ChatHub, reconnectDelay } from '../core/chat-hub';
import { ChatHubActions } from '../core/hub.actions';
import { SessionApiActions } from './session.actions';

/** The hub's state and events, as actions. */
export const hubEvents = createEffect(
  (hub = inject(ChatHub)) => {
    return merge(
      hub.state$.pipe(map((state) => ChatHubActions.stateChanged({ state }))),
      hub.newMessage$.pipe(map((message) => ChatHubActions.messageReceived({ message }))),
      hub.messageChanged$.pipe(map((message) => ChatHubActions.messageChanged({ message }))),
      hub.typing$.pipe(map((typing) => ChatHubActions.typingReceived({ typing }))),
      hub.presence$.pipe(map((presence) => ChatHubActions.presenceChanged({ presence }))),
      hub.roomCreated$.pipe(map((room) => ChatHubActions.roomCreated({ room }))),
      hub.readState$.pipe(map((state) => ChatHubActions.readStateReceived({ state }))),
      hub.mention$.pipe(map((mention) => ChatHubActions.mentionReceived({ mention }))),
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
    online$: Observable<unknown> = browserOnline(),
  ) => {
    return merge(actions$.pipe(ofType(SessionApiActions.signedIn)), hub.closed$).pipe(
      exhaustMap(() =>
        hub.start().pipe(
          retry({
            // The browser saying it is back online cuts the wait short.
            delay: (_error, attempt) => merge(timer(Math.max(delay(attempt), 1_000), scheduler), online$).pipe(take(1)),
          }),
        ),
      ),
    );
  },
  { functional: true, dispatch: false },
);

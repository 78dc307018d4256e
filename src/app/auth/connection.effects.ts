import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import {
  asyncScheduler,
  exhaustMap,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  of,
  retry,
  type SchedulerLike,
  Subject,
  switchMap,
  take,
  tap,
  timer,
} from 'rxjs';

import { BrowserActions } from '../core/browser.actions';
import { ChatHub, type HubState, reconnectDelay } from '../core/chat-hub';
import { ChatHubActions } from '../core/hub.actions';
import { SessionApiActions } from './session.actions';
import { sessionFeature } from './session.feature';

/** The hub's state and events, as actions. */
export const hubEvents = createEffect(
  (hub = inject(ChatHub), store = inject(Store)) => {
    const viewer = store.selectSignal(sessionFeature.selectUser);
    return merge(
      hub.state$.pipe(map((state) => ChatHubActions.stateChanged({ state }))),
      hub.newMessage$.pipe(map((message) => ChatHubActions.messageReceived({ message }))),
      hub.messageChanged$.pipe(map((message) => ChatHubActions.messageChanged({ message }))),
      hub.reactionChanged$.pipe(
        map((change) => ChatHubActions.reactionChanged({ change, byViewer: change.user.id === viewer()?.id })),
      ),
      hub.typing$.pipe(map((typing) => ChatHubActions.typingReceived({ typing }))),
      hub.presence$.pipe(map((presence) => ChatHubActions.presenceChanged({ presence }))),
      hub.profileChanged$.pipe(map((profile) => ChatHubActions.profileChanged({ profile }))),
      hub.roomCreated$.pipe(map((room) => ChatHubActions.roomCreated({ room }))),
      hub.readState$.pipe(map((state) => ChatHubActions.readStateReceived({ state }))),
      hub.mention$.pipe(map((mention) => ChatHubActions.mentionReceived({ mention }))),
      hub.membership$.pipe(map((membership) => ChatHubActions.membershipChanged({ membership }))),
      hub.roomChanged$.pipe(map((change) => ChatHubActions.roomChanged({ change }))),
      hub.memberChanged$.pipe(map((change) => ChatHubActions.memberChanged({ change }))),
    );
  },
  { functional: true },
);

/**
 * Connects once signed in, and again whenever the connection closes for good. Automatic
 * reconnect covers a dropped connection; this covers a first start that fails (API down,
 * offline) and a close after reconnecting gave up, retrying with the same backoff for ever.
 *
 * The browser knows more than the backoff timer: when it says the network is back, the tab is
 * shown again or the page returns from the back-forward cache, a connection that is not up is
 * dropped and started afresh at once (the SDK's reconnect would sleep out its delay first); when
 * it says the network is gone, the connection is dropped at once, so the header never says
 * "connected" over a dead socket.
 */
export const keepConnected = createEffect(
  (
    actions$ = inject(Actions),
    hub = inject(ChatHub),
    scheduler: SchedulerLike = asyncScheduler,
    delay: (attempt: number) => number = reconnectDelay,
  ) => {
    const signedIn$ = actions$.pipe(ofType(SessionApiActions.signedIn));
    const browser$ = actions$.pipe(
      ofType(BrowserActions.onlineChanged, BrowserActions.visibilityChanged, BrowserActions.pageRestored),
    );
    let state: HubState = 'disconnected';
    const kick$ = new Subject<void>();
    let running = false;
    // Woken while an attempt was under way: if it fails, the next one goes at once.
    let kicked = false;
    const connectNow$ = signedIn$.pipe(
      take(1),
      switchMap(() => browser$),
      filter((action) => {
        if ('online' in action && !action.online) return state !== 'disconnected';
        if ('visible' in action && !action.visible) return false;
        if (state === 'connecting') kicked = true;
        return state === 'reconnecting' || state === 'disconnected';
      }),
      tap(() => hub.drop()),
      // A start loop waiting to retry tries again now; none running, one starts.
      filter(() => {
        const waiting = running;
        if (waiting) {
          kicked = true;
          kick$.next();
        }
        return !waiting;
      }),
    );
    return merge(
      hub.state$.pipe(
        tap((next) => (state = next)),
        ignoreElements(),
      ),
      merge(signedIn$, hub.closed$, connectNow$).pipe(
        exhaustMap(() => {
          running = true;
          return hub.start().pipe(
            retry({
              delay: (_error, attempt) => {
                if (kicked) {
                  kicked = false;
                  return of(0);
                }
                return merge(timer(Math.max(delay(attempt), 1_000), scheduler), kick$).pipe(
                  take(1),
                  tap(() => (kicked = false)),
                );
              },
            }),
            finalize(() => {
              running = false;
              kicked = false;
            }),
          );
        }),
      ),
    );
  },
  { functional: true, dispatch: false },
);

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { type Action, Store } from '@ngrx/store';
import {
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  EMPTY,
  filter,
  finalize,
  groupBy,
  ignoreElements,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  retry,
  type SchedulerLike,
  switchMap,
  take,
  tap,
  throwError,
  timeout,
  timer,
} from 'rxjs';

import { AttachmentsOutboxActions } from '../attachments/attachments.actions';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { apiErrorOf } from '../core/api-client';
import { browserOnline } from '../core/browser-online';
import { ChatHubActions } from '../core/hub.actions';
import type { ChatMessage } from '../messages/chat-message';
import { ChatPageActions } from '../messages/chat-page.actions';
import { MessagesApi } from './messages-api';
import { MessagesApiActions, OutboxActions, RateLimitActions } from './outbox.actions';
import { selectOutbox } from './outbox.selectors';
import { OutboxStorage } from './outbox-storage';
import { ANNOUNCE_DELAYS, defaultSendPolicy, sendErrorText, type SendPolicy } from './send-policy';

/**
 * Sends one message until the server has it. Transient failures (no answer, 5xx) retry with
 * backoff for ever, always with the same id, so the server stores it once; the first one says
 * so in the composer, and after `failAfter` attempts the message shows as failed with a Retry
 * button (which, like a reconnect, cuts the current wait short). Refusals (4xx) end it.
 */
function deliver(
  api: MessagesApi,
  message: ChatMessage,
  policy: SendPolicy,
  retryNow$: Observable<unknown> = EMPTY,
): Observable<Action> {
  const { id, room } = message;
  const attempt = (failures: number): Observable<Action> =>
    defer(() => api.send(message)).pipe(
      timeout({ first: policy.timeoutMs, scheduler: policy.scheduler }),
      map((stored) => MessagesApiActions.sendSucceeded({ message: stored })),
      catchError((error: unknown) => {
        const failure = apiErrorOf(error);
        const text = sendErrorText(failure);
        if (!failure.transient) {
          return of(
            MessagesApiActions.sendFailed({
              id,
              room,
              error: text,
              retryable: false,
              ...(failure.retryAfterSeconds ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
            }),
          );
        }
        const failed = failures + 1;
        const unreachable = failure.status === 0 ? { unreachable: true } : {};
        const notice =
          failed >= policy.failAfter
            ? MessagesApiActions.sendFailed({ id, room, error: text, retryable: true, ...unreachable })
            : MessagesApiActions.sendDelayed({ id, room, error: text, ...unreachable });
        // A server past its capacity says how long to wait (503 + Retry-After): never sooner than that.
        const wait = Math.max(
          policy.retryDelays[Math.min(failed, policy.retryDelays.length) - 1] ?? 0,
          (failure.retryAfterSeconds ?? 0) * 1_000,
        );
        return concat(
          of(notice),
          merge(timer(wait, policy.scheduler), retryNow$).pipe(
            take(1),
            concatMap(() => attempt(failed)),
          ),
        );
      }),
    );
  return attempt(0);
}

/**
 * The outbox: every message the user sends, retries, or left unsent before a reload goes out
 * with its own id, one at a time in the user's order (concatMap: never reordered, never
 * cancelled). A Retry click, a reconnect or the browser coming back online makes the
 * message at the head try again at once.
 */
export const sendMessages = createEffect(
  (
    actions$ = inject(Actions),
    api = inject(MessagesApi),
    policy: SendPolicy = defaultSendPolicy,
    online$: Observable<unknown> = browserOnline(),
  ) => {
    const queued = new Set<string>();
    const retryNow$ = merge(
      online$,
      actions$.pipe(
        ofType(ChatPageActions.retryClicked, ChatHubActions.stateChanged),
        filter((action) => !('state' in action) || action.state === 'connected'),
      ),
    );
    return actions$.pipe(
      ofType(
        ChatPageActions.messageSent,
        AttachmentsOutboxActions.messageReleased,
        ChatPageActions.retryClicked,
        OutboxActions.restored,
      ),
      mergeMap((action) => ('messages' in action ? action.messages : [action.message])),
      filter((message) => !queued.has(message.id)),
      tap((message) => queued.add(message.id)),
      concatMap((message) => deliver(api, message, policy, retryNow$).pipe(finalize(() => queued.delete(message.id)))),
    );
  },
  { functional: true },
);

/**
 * A send that only succeeded on a retry (or after a reload) may have been stored by an earlier
 * attempt whose broadcast failed — the server answered that attempt 500, and answers the retry
 * with the stored message and no broadcast. For those, ask the server to announce the message to
 * the room, until it does (or says there is nothing to announce), so people who stayed connected
 * see it without reloading. They show it once by id, so an extra delivery is harmless.
 */
export const announceAfterRetry = createEffect(
  (
    actions$ = inject(Actions),
    api = inject(MessagesApi),
    delays: readonly number[] = ANNOUNCE_DELAYS,
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    const uncertain = new Set<string>();
    const remember = merge(
      actions$.pipe(
        ofType(MessagesApiActions.sendDelayed, MessagesApiActions.sendFailed),
        filter((action) => !('retryable' in action) || action.retryable),
        map(({ id }) => [id]),
      ),
      actions$.pipe(
        ofType(OutboxActions.restored),
        map(({ messages }) => messages.map((message) => message.id)),
      ),
    ).pipe(
      tap((ids) => ids.forEach((id) => uncertain.add(id))),
      ignoreElements(),
    );
    const announce = actions$.pipe(
      ofType(MessagesApiActions.sendSucceeded),
      filter(({ message }) => uncertain.delete(message.id)),
      mergeMap(({ message }) =>
        defer(() => api.announce(message)).pipe(
          retry({
            delay: (error: unknown, count) =>
              apiErrorOf(error).transient
                ? timer(delays[Math.min(count, delays.length) - 1] ?? 0, scheduler)
                : throwError(() => error),
          }),
          ignoreElements(),
          catchError(() => EMPTY),
        ),
      ),
    );
    return merge(remember, announce);
  },
  { functional: true, dispatch: false },
);

/** A rate-limit notice stays for as long as the server asked us to wait. */
export const endRateLimitWait = createEffect(
  (actions$ = inject(Actions), scheduler: SchedulerLike = asyncScheduler) => {
    return actions$.pipe(
      ofType(MessagesApiActions.sendFailed),
      filter(({ retryAfterSeconds }) => retryAfterSeconds !== undefined),
      groupBy(({ room }) => room),
      mergeMap((room$) =>
        room$.pipe(
          switchMap(({ room, retryAfterSeconds }) =>
            timer((retryAfterSeconds ?? 0) * 1_000, scheduler).pipe(map(() => RateLimitActions.waitOver({ room }))),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** Brings back the messages that were still unsent when the page was last closed. */
export const restoreOutbox = createEffect(
  (actions$ = inject(Actions), storage = inject(OutboxStorage)) => {
    return actions$.pipe(
      ofType(SessionApiActions.signedIn),
      map(({ user }) => OutboxActions.restored({ messages: storage.load(user.id) })),
    );
  },
  { functional: true },
);

/** Keeps the unsent messages in localStorage, so a reload does not lose them. */
export const persistOutbox = createEffect(
  (actions$ = inject(Actions), store = inject(Store), storage = inject(OutboxStorage)) => {
    return actions$.pipe(
      ofType(OutboxActions.restored),
      concatLatestFrom(() => store.select(sessionFeature.selectUser)),
      switchMap(([, user]) =>
        store.select(selectOutbox).pipe(
          map((outbox) => outbox.filter((message) => message.sender.id === user?.id)),
          distinctUntilChanged((a, b) => a.length === b.length && a.every((message, i) => message.id === b[i]?.id)),
          tap((outbox) => {
            if (user) storage.save(user.id, outbox);
          }),
        ),
      ),
    );
  },
  { functional: true, dispatch: false },
);

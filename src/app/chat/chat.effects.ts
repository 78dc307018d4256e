import { DOCUMENT, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { Actions, createEffect, ofType } from '@ngrx/effects';

import { Store, type Action } from '@ngrx/store';
import {
  EMPTY,
  Observable,
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  distinctUntilChanged,
  exhaustMap,
  expand,
  filter,
  finalize,
  from,
  fromEvent,
  groupBy,
  map,
  mergeMap,
  of,
  reduce,
  retry,
  skip,
  switchMap,
  tap,
  throttleTime,
  throwError,
  timeout,
  timer,
  type SchedulerLike,
} from 'rxjs';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { apiErrorOf } from '../core/api-client';
import { concatLatestFrom } from '../core/concat-latest-from';
import { ChatHubActions } from '../core/hub.actions';
import type { Message } from '../core/wire-types';
import { BrowserActions, ChatPageActions, MessagesApiActions, OutboxActions, TypingActions } from './chat.actions';
import { chatFeature } from './chat.feature';
import type { ChatMessage } from './chat-message';
import { MessagesApi } from './messages-api';
import { defaultSendPolicy, sendErrorText, type SendPolicy } from './send-policy';
import { OutboxStorage } from './outbox-storage';

function deliver(api: MessagesApi, message: ChatMessage, policy: SendPolicy): Observable<Action> {
  return defer(() => api.send(message)).pipe(
    timeout({ first: policy.timeoutMs, scheduler: policy.scheduler }),
    retry({
      count: policy.retryDelays.length,
      delay: (error: unknown, attempt) =>
        apiErrorOf(error).transient
          ? timer(policy.retryDelays[attempt - 1] ?? 0, policy.scheduler)
          : throwError(() => error),
    }),
    map((stored) => MessagesApiActions.sendSucceeded({ message: stored })),
    catchError((error: unknown) => {
      const failure = apiErrorOf(error);
      return of(
        MessagesApiActions.sendFailed({
          id: message.id,
          room: message.room,
          error: sendErrorText(failure),
          retryable: failure.transient,
        }),
      );
    }),
  );
}

/**
 * The outbox: every message the user sends, retries, or left unsent before a reload goes out with
 * its own id, in order (concatMap keeps the user's order and never cancels a send), retrying
 * transient failures with backoff. Pending messages are sent again whenever the hub reconnects.
 */
export const sendMessages = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    api = inject(MessagesApi),
    policy: SendPolicy = defaultSendPolicy,
  ) => {
    const queued = new Set<string>();
    const pendingAfterReconnect$ = actions$.pipe(
      ofType(ChatHubActions.stateChanged),
      filter(({ state }) => state === 'connected'),
      concatLatestFrom(() => store.select(chatFeature.selectOutbox)),
      mergeMap(([, outbox]) => outbox.filter((message) => message.status === 'pending')),
    );
    const toSend$: Observable<ChatMessage> = actions$.pipe(
      ofType(ChatPageActions.messageSent, ChatPageActions.retryClicked, OutboxActions.restored),
      mergeMap((action) => ('messages' in action ? action.messages : [action.message])),
    );
    return from([toSend$, pendingAfterReconnect$]).pipe(
      mergeMap((source$) => source$),
      filter((message) => !queued.has(message.id)),
      tap((message) => queued.add(message.id)),
      concatMap((message) => deliver(api, message, policy).pipe(finalize(() => queued.delete(message.id)))),
    );
  },
  { functional: true },
);

/** The newest page of a room the first time it is shown (and again after a failure, once connected). */
export const loadHistory = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(MessagesApi)) => {
    return actions$.pipe(
      ofType(ChatPageActions.roomSelected, SessionApiActions.signedIn, ChatHubActions.stateChanged),
      concatLatestFrom(() => [store.select(chatFeature.selectActiveRoom), store.select(chatFeature.selectHistory)]),
      filter(([action, room, history]) => {
        if (action.type === ChatHubActions.stateChanged.type && action.state !== 'connected') return false;
        return !history[room]?.loaded;
      }),
      map(([, room]) => room),
      groupBy((room) => room),
      mergeMap((room$) =>
        room$.pipe(
          exhaustMap((room) =>
            api.history(room).pipe(
              map(({ messages, hasMore }) => MessagesApiActions.historyLoaded({ room, messages, hasMore })),
              catchError((error: unknown) =>
                of(MessagesApiActions.historyFailed({ room, error: apiErrorOf(error).message })),
              ),
            ),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** The page before the oldest message shown, when the user scrolls to the top. */
export const loadOlder = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(MessagesApi)) => {
    return actions$.pipe(
      ofType(ChatPageActions.olderMessagesRequested),
      concatLatestFrom(() => [store.select(chatFeature.selectHistory), store.select(chatFeature.selectRoomBounds)]),
      filter(([{ room }, history, bounds]) => history[room]?.loadingOlder === true && bounds[room] !== undefined),
      groupBy(([{ room }]) => room),
      mergeMap((room$) =>
        room$.pipe(
          exhaustMap(([{ room }, , bounds]) =>
            api.history(room, { before: bounds[room]?.oldest ?? '' }).pipe(
              map(({ messages, hasMore }) => MessagesApiActions.olderLoaded({ room, messages, hasMore })),
              catchError((error: unknown) =>
                of(MessagesApiActions.olderFailed({ room, error: apiErrorOf(error).message })),
              ),
            ),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** Everything after `after`, following `hasMore` page by page. */
function fetchAfter(api: MessagesApi, room: string, after: string): Observable<readonly Message[]> {
  return api.history(room, { after }).pipe(
    expand((page) => {
      const last = page.messages.at(-1);
      return page.hasMore && last ? api.history(room, { after: last.id }) : EMPTY;
    }),
    reduce<{ messages: readonly Message[] }, Message[]>((all, page) => all.concat(page.messages), []),
  );
}

/**
 * After a reconnect, every room we hold messages for asks for what it missed after its newest
 * confirmed message; upserting by id means no gap and no duplicate.
 */
export const catchUpAfterReconnect = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(MessagesApi)) => {
    return actions$.pipe(
      ofType(ChatHubActions.stateChanged),
      filter(({ state }) => state === 'connected'),
      skip(1),
      concatLatestFrom(() => store.select(chatFeature.selectRoomBounds)),
      mergeMap(([, bounds]) => Object.entries(bounds)),
      mergeMap(([room, { newest }]) =>
        fetchAfter(api, room, newest).pipe(
          map((messages) => MessagesApiActions.caughtUp({ room, messages })),
          catchError(() => EMPTY),
        ),
      ),
    );
  },
  { functional: true },
);

/** Tells the room the user is typing, at most once every 2.5 s per room. */
export const announceTyping = createEffect(
  (actions$ = inject(Actions), api = inject(MessagesApi), scheduler: SchedulerLike = asyncScheduler) => {
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
        store.select(chatFeature.selectOutbox).pipe(
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

/** Whether the user can see the page: unread counting pauses for the active room only while they can. */
export const trackVisibility = createEffect(
  (document = inject(DOCUMENT)) => {
    return fromEvent(document, 'visibilitychange').pipe(
      map(() => BrowserActions.visibilityChanged({ visible: document.visibilityState !== 'hidden' })),
    );
  },
  { functional: true },
);

/** `(3) Hubbub` in the tab while there are unread messages. */
export const showUnreadInTitle = createEffect(
  (store = inject(Store), title = inject(Title)) => {
    return store.select(chatFeature.selectTotalUnread).pipe(
      distinctUntilChanged(),
      tap((unread) => title.setTitle(unread > 0 ? `(${unread}) Hubbub` : 'Hubbub')),
    );
  },
  { functional: true, dispatch: false },
);

import { DOCUMENT, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { Actions, createEffect, ofType } from '@ngrx/effects';

import { Store, type Action } from '@ngrx/store';
import {
  EMPTY,
  Observable,
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  exhaustMap,
  expand,
  filter,
  finalize,
  fromEvent,
  groupBy,
  map,
  merge,
  mergeMap,
  of,
  reduce,
  retry,
  scan,
  switchMap,
  take,
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
import { concatLatestFrom } from '@ngrx/operators';
import { browserOnline } from '../core/browser-online';
import { ChatHubActions } from '../core/hub.actions';
import type { Message } from '../../../contract';
import { RoomsApiActions } from '../rooms/rooms.actions';
import {
  BrowserActions,
  ChatPageActions,
  MessagesApiActions,
  OutboxActions,
  RateLimitActions,
  TypingActions,
} from './chat.actions';
import { chatFeature } from './chat.feature';
import type { ChatMessage } from './chat-message';
import { MessagesApi } from './messages-api';
import { defaultSendPolicy, sendErrorText, type SendPolicy } from './send-policy';
import { OutboxStorage } from './outbox-storage';

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
        const notice =
          failed >= policy.failAfter
            ? MessagesApiActions.sendFailed({ id, room, error: text, retryable: true })
            : MessagesApiActions.sendDelayed({ id, room, error: text });
        const wait = policy.retryDelays[Math.min(failed, policy.retryDelays.length) - 1] ?? 0;
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
      ofType(ChatPageActions.messageSent, ChatPageActions.retryClicked, OutboxActions.restored),
      mergeMap((action) => ('messages' in action ? action.messages : [action.message])),
      filter((message) => !queued.has(message.id)),
      tap((message) => queued.add(message.id)),
      concatMap((message) => deliver(api, message, policy, retryNow$).pipe(finalize(() => queued.delete(message.id)))),
    );
  },
  { functional: true },
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

/** The newest page of a room the first time it is shown (and again after a failure, once connected). */
export const loadHistory = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(MessagesApi)) => {
    return actions$.pipe(
      ofType(
        ChatPageActions.roomSelected,
        SessionApiActions.signedIn,
        ChatHubActions.stateChanged,
        RoomsApiActions.roomCreated,
        RoomsApiActions.roomJoined,
        RoomsApiActions.directMessageOpened,
      ),
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
 * After a reconnect, every room we hold messages for asks for what it missed since the newest
 * message it had when the connection was lost (not the newest now: our own sends during the
 * outage arrive through their POST responses and would hide what others sent meanwhile).
 * Upserting by id means no gap and no duplicate.
 */
export const catchUpAfterReconnect = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    api = inject(MessagesApi),
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    return actions$.pipe(
      ofType(ChatHubActions.stateChanged),
      concatLatestFrom(() => [store.select(chatFeature.selectRoomBounds), store.select(chatFeature.selectHistory)]),
      map(([action, bounds, history]) => [action, withEmptyRooms(bounds, history)] as const),
      scan(
        (memory: CatchUpMemory, [{ state }, bounds]): CatchUpMemory => {
          if (state === 'connected') {
            return {
              connected: true,
              lostAt: null,
              due: memory.lostAt ?? (memory.everConnected ? bounds : null),
              everConnected: true,
            };
          }
          return {
            connected: false,
            lostAt: memory.connected ? bounds : memory.lostAt,
            due: null,
            everConnected: memory.everConnected,
          };
        },
        { connected: false, lostAt: null, due: null, everConnected: false },
      ),
      mergeMap(({ due }) => (due ? Object.entries(due) : [])),
      mergeMap(([room, { newest }]) =>
        // A room that was empty has no cursor: its newest page is everything it missed.
        (newest === EMPTY_ROOM
          ? api.history(room).pipe(map((page) => page.messages))
          : fetchAfter(api, room, newest)
        ).pipe(
          map((messages) => MessagesApiActions.caughtUp({ room, messages })),
          // A blip right after reconnecting must not lose the outage's messages: retry while it is transient.
          retry({
            delay: (error: unknown, attempt) =>
              apiErrorOf(error).transient
                ? timer(Math.min(1_000 * 2 ** (attempt - 1), 30_000), scheduler)
                : throwError(() => error),
          }),
          catchError(() => EMPTY),
        ),
      ),
    );
  },
  { functional: true },
);

type RoomBounds = Readonly<Record<string, { readonly oldest: string; readonly newest: string }>>;

/** Stands for "no message yet" in a loaded room's bounds. */
const EMPTY_ROOM = '';

/** Rooms whose history was loaded but held no message still need catching up: give them an empty cursor. */
function withEmptyRooms(
  bounds: RoomBounds,
  history: Readonly<Record<string, { readonly loaded: boolean }>>,
): RoomBounds {
  const all: Record<string, { oldest: string; newest: string }> = { ...bounds };
  for (const [room, state] of Object.entries(history)) {
    if (state.loaded && !all[room]) all[room] = { oldest: EMPTY_ROOM, newest: EMPTY_ROOM };
  }
  return all;
}

interface CatchUpMemory {
  readonly connected: boolean;
  /** Each room's newest message when the connection was lost. */
  readonly lostAt: RoomBounds | null;
  /** Set on the transition back to connected: what to catch up from. */
  readonly due: RoomBounds | null;
  readonly everConnected: boolean;
}

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

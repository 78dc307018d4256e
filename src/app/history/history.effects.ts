import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { type Action, Store } from '@ngrx/store';
import {
  asyncScheduler,
  catchError,
  concat,
  EMPTY,
  exhaustMap,
  expand,
  filter,
  groupBy,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  retry,
  type SchedulerLike,
  switchMap,
  throwError,
  timer,
} from 'rxjs';

import { SessionApiActions } from '../auth/session.actions';
import { apiErrorOf } from '../core/api-client';
import { BrowserActions } from '../core/browser.actions';
import { connectionFeature } from '../core/connection.feature';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { HistoryApiActions } from './history.actions';
import { selectCatchUpCursors, selectRoomBounds, selectRoomHistories } from './history.selectors';
import { HistoryApi } from './history-api';

/**
 * The newest page of a room the first time it is shown (and again after a failure, once connected,
 * or once the user is added to it).
 */
export const loadHistory = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(HistoryApi)) => {
    return actions$.pipe(
      ofType(
        ChatPageActions.roomSelected,
        SessionApiActions.signedIn,
        ChatHubActions.stateChanged,
        RoomsApiActions.roomCreated,
        RoomsApiActions.roomJoined,
        RoomsApiActions.directMessageOpened,
        ChatHubActions.membershipChanged,
      ),
      concatLatestFrom(() => [
        store.select(chatSelectors.selectActiveRoom),
        store.select(selectRoomHistories),
        store.select(chatSelectors.selectLinked),
      ]),
      filter(([action, room, history, linked]) => {
        if (action.type === ChatHubActions.stateChanged.type && action.state !== 'connected') return false;
        // Added to the room on screen (its address said "no access" until now).
        if (action.type === ChatHubActions.membershipChanged.type && action.membership.room?.name !== room)
          return false;
        // A room opened at a message's address starts from the page around it (addresses.effects.ts).
        if (linked?.room === room && linked.status === 'loading') return false;
        return !history[room]?.loaded;
      }),
      map(([, room]) => room),
      groupBy((room) => room),
      mergeMap((room$) =>
        room$.pipe(
          exhaustMap((room) =>
            api.history(room).pipe(
              map(({ messages, hasMore, cursor }) =>
                HistoryApiActions.historyLoaded({ room, messages, hasMore, cursor }),
              ),
              catchError((error: unknown) => {
                const { message, status } = apiErrorOf(error);
                return of(HistoryApiActions.historyFailed({ room, error: message, status }));
              }),
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
  (actions$ = inject(Actions), store = inject(Store), api = inject(HistoryApi)) => {
    return actions$.pipe(
      ofType(ChatPageActions.olderMessagesRequested),
      concatLatestFrom(() => [store.select(selectRoomHistories), store.select(selectRoomBounds)]),
      filter(([{ room }, history, bounds]) => history[room]?.loadingOlder === true && bounds[room] !== undefined),
      groupBy(([{ room }]) => room),
      mergeMap((room$) =>
        room$.pipe(
          exhaustMap(([{ room }, , bounds]) =>
            api.history(room, { before: bounds[room]?.oldest ?? '' }).pipe(
              map(({ messages, hasMore }) => HistoryApiActions.olderLoaded({ room, messages, hasMore })),
              catchError((error: unknown) =>
                of(HistoryApiActions.olderFailed({ room, error: apiErrorOf(error).message })),
              ),
            ),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** Every change after `since`, page by page while `hasMore`, one Caught Up per page (so progress is kept). */
function fetchSince(api: HistoryApi, room: string, since: number): Observable<Action> {
  return api.history(room, { since }).pipe(
    expand((page) => (page.hasMore && page.cursor > since ? api.history(room, { since: page.cursor }) : EMPTY)),
    map(({ messages, cursor }) => HistoryApiActions.caughtUp({ room, messages, cursor })),
  );
}

/**
 * Catch-up, the one way a room's view gets back to the room's state: ask for what changed after
 * the change number the room holds everything up to (new messages, edits, deletions, reactions,
 * in their current state), page by page. Every room does so whenever the live connection may
 * have missed events: on every connection (the first one too, since a message sent between
 * reading the history and the connection opening reaches us no other way), when the tab is shown
 * again, when the browser is back online and when the page returns from the back-forward cache
 * (waking from sleep, where the socket may look alive but have missed events). One room does so
 * when it is opened, joined again, created or opened as a direct message (events for it may have
 * gone nowhere while we were not in it), and when its newest page arrives while connected. The
 * paths are listed in docs/behaviour.md. Upserting by change number means no gap and nothing twice.
 */
export const catchUp = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    api = inject(HistoryApi),
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    const connected$ = () => store.select(connectionFeature.selectState);
    const everyRoom$ = actions$.pipe(
      ofType(
        ChatHubActions.stateChanged,
        BrowserActions.visibilityChanged,
        BrowserActions.onlineChanged,
        BrowserActions.pageRestored,
      ),
      filter((action) => ('visible' in action ? action.visible : 'online' in action ? action.online : true)),
      concatLatestFrom(() => [connected$(), store.select(selectCatchUpCursors)]),
      filter(([, state]) => state === 'connected'),
      mergeMap(([, , cursors]) => Object.entries(cursors).map(([room, since]) => ({ room, since }))),
    );
    const openedRoom$ = actions$.pipe(
      ofType(
        ChatPageActions.roomSelected,
        RoomsApiActions.roomJoined,
        RoomsApiActions.roomCreated,
        RoomsApiActions.directMessageOpened,
      ),
      map((action) => (typeof action.room === 'string' ? action.room : action.room.name)),
      concatLatestFrom(() => [connected$(), store.select(selectCatchUpCursors)]),
      filter(([room, state, cursors]) => state === 'connected' && cursors[room] !== undefined),
      map(([room, , cursors]) => ({ room, since: cursors[room] ?? 0 })),
    );
    const freshRoom$ = actions$.pipe(
      ofType(HistoryApiActions.historyLoaded),
      concatLatestFrom(() => connected$()),
      filter(([{ cursor }, state]) => state === 'connected' && Number.isInteger(cursor)),
      map(([{ room, cursor }]) => ({ room, since: cursor })),
    );
    return merge(everyRoom$, openedRoom$, freshRoom$).pipe(
      groupBy(({ room }) => room),
      mergeMap((room$) =>
        room$.pipe(
          // A newer reason to catch up supersedes one in flight: reads are idempotent, and the newer one starts later.
          switchMap(({ room, since }) =>
            fetchSince(api, room, since).pipe(
              // A blip right after reconnecting must not lose the outage's changes: retry while it is transient.
              retry({
                delay: (error: unknown, attempt) =>
                  apiErrorOf(error).transient
                    ? timer(Math.min(1_000 * 2 ** (attempt - 1), 30_000), scheduler)
                    : throwError(() => error),
              }),
              catchError(() => EMPTY),
            ),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** How far back following a reply's quote pages before giving up. */
const MAX_SEEK_PAGES = 20;

/** Older pages, one after another, until the quoted message is among them or history runs out. */
function seekPages(api: HistoryApi, room: string, id: string, before: string, pages = 1): Observable<Action> {
  return api.history(room, { before }).pipe(
    mergeMap((page) => {
      const loaded = HistoryApiActions.olderLoaded({ room, messages: page.messages, hasMore: page.hasMore });
      if (page.messages.some((message) => message.id === id)) {
        return of(loaded, HistoryApiActions.quotedMessageFound({ room, id }));
      }
      const next = page.messages[0]?.id;
      if (!page.hasMore || next === undefined || pages >= MAX_SEEK_PAGES) {
        return of(loaded, HistoryApiActions.quotedMessageMissing({ room, id }));
      }
      return concat(of(loaded), seekPages(api, room, id, next, pages + 1));
    }),
  );
}

/** Following a reply to a message not loaded yet: page back until it is there. */
export const findQuotedMessage = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(HistoryApi)) => {
    return actions$.pipe(
      ofType(ChatPageActions.quotedMessageRequested),
      concatLatestFrom(() => [
        store.select(selectRoomHistories),
        store.select(selectRoomBounds),
        store.select(chatSelectors.selectSeek),
      ]),
      // Already loaded: the reducer found it.
      filter(([{ id }, , , seek]) => seek?.id === id && seek.status === 'loading'),
      // The latest quote followed wins; pages already loaded stay.
      switchMap(([{ room, id }, history, bounds]) => {
        const oldest = bounds[room]?.oldest;
        if (oldest === undefined || history[room]?.hasMore === false) {
          return of(HistoryApiActions.quotedMessageMissing({ room, id }));
        }
        return seekPages(api, room, id, oldest).pipe(
          catchError(() => of(HistoryApiActions.quotedMessageMissing({ room, id }))),
        );
      }),
    );
  },
  { functional: true },
);

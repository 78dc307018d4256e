import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store } from '@ngrx/store';
import {
  asyncScheduler,
  catchError,
  EMPTY,
  exhaustMap,
  expand,
  filter,
  groupBy,
  map,
  mergeMap,
  Observable,
  of,
  reduce,
  retry,
  scan,
  type SchedulerLike,
  throwError,
  timer,
} from 'rxjs';

import type { Message } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { chatFeature } from '../chat/chat.feature';
import { ChatPageActions } from '../chat/chat-page.actions';
import { apiErrorOf } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { HistoryApiActions } from './history.actions';
import { selectRoomBounds, selectRoomHistories } from './history.selectors';
import { HistoryApi } from './history-api';

/** The newest page of a room the first time it is shown (and again after a failure, once connected). */
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
      ),
      concatLatestFrom(() => [store.select(chatFeature.selectActiveRoom), store.select(selectRoomHistories)]),
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
              map(({ messages, hasMore }) => HistoryApiActions.historyLoaded({ room, messages, hasMore })),
              catchError((error: unknown) =>
                of(HistoryApiActions.historyFailed({ room, error: apiErrorOf(error).message })),
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

/** Everything after `after`, following `hasMore` page by page. */
function fetchAfter(api: HistoryApi, room: string, after: string): Observable<readonly Message[]> {
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
    api = inject(HistoryApi),
    scheduler: SchedulerLike = asyncScheduler,
  ) => {
    return actions$.pipe(
      ofType(ChatHubActions.stateChanged),
      concatLatestFrom(() => [store.select(selectRoomBounds), store.select(selectRoomHistories)]),
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
          map((messages) => HistoryApiActions.caughtUp({ room, messages })),
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

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store } from '@ngrx/store';
import {
  asyncScheduler,
  catchError,
  defer,
  distinctUntilChanged,
  filter,
  finalize,
  map,
  mergeMap,
  of,
  type SchedulerLike,
  switchMap,
  throttleTime,
} from 'rxjs';

import type { MarkReadRequest } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { apiErrorOf } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { MessageListActions, ReadStateApiActions } from './read-state.actions';
import { readStateFeature } from './read-state.feature';
import { selectReadTarget } from './read-state.selectors';
import { ReadStateApi } from './read-state-api';

/**
 * The whole read state from the server: once signed in, after every (re)connection (events may
 * have been missed meanwhile), when the user joins or opens a room, is added to one or is out of
 * one, and when a message arrives in a room it holds no state for yet (a direct message someone
 * else started).
 */
export const loadReadState = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(ReadStateApi)) => {
    // A busy room must not restart a load again and again: a message only starts one when none is under way.
    let loading = false;
    return actions$.pipe(
      ofType(
        SessionApiActions.signedIn,
        ChatHubActions.stateChanged,
        ChatHubActions.messageReceived,
        RoomsApiActions.roomCreated,
        RoomsApiActions.roomJoined,
        RoomsApiActions.directMessageOpened,
        ChatHubActions.membershipChanged,
      ),
      concatLatestFrom(() => store.select(readStateFeature.selectRooms)),
      filter(([action, rooms]) => {
        if (action.type === ChatHubActions.stateChanged.type) return action.state === 'connected';
        if (action.type === ChatHubActions.messageReceived.type) return !loading && !(action.message.room in rooms);
        return true;
      }),
      switchMap(() =>
        defer(() => {
          loading = true;
          return api.list();
        }).pipe(
          map((rooms) => ReadStateApiActions.readStateLoaded({ rooms })),
          catchError((error: unknown) =>
            of(ReadStateApiActions.readStateLoadFailed({ error: apiErrorOf(error).message })),
          ),
          finalize(() => (loading = false)),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * Opening a room, or reading it to its end, marks it read on the server up to the newest change
 * this tab holds (`PUT …/read`); the server tells the user's other tabs and devices with
 * `readState`. The first change goes at once; during a burst (a busy room), at most one request
 * goes every `throttleMs`, with the latest position.
 */
export const markRoomRead = createEffect(
  (store = inject(Store), api = inject(ReadStateApi), scheduler: SchedulerLike = asyncScheduler, throttleMs = 500) => {
    const target$ = store.select(selectReadTarget);
    return target$.pipe(
      distinctUntilChanged(
        (a, b) => a?.room === b?.room && a?.seq === b?.seq && a?.unread === b?.unread && (a === null) === (b === null),
      ),
      // Not distinct once nulls are gone: reading a room again after "mark as unread" asks the same again.
      filter((target) => target !== null),
      throttleTime(throttleMs, scheduler, { leading: true, trailing: true }),
      // What is to be marked now: a trailing target may have been read (or left) meanwhile.
      concatLatestFrom(() => target$),
      map(([, current]) => current),
      filter((target) => target !== null),
      mergeMap(({ room, seq }) => {
        const request: MarkReadRequest = seq === undefined ? {} : { seq };
        return api.markRead(room, request).pipe(
          map((state) => ReadStateApiActions.readStateChanged({ state })),
          catchError((error: unknown) =>
            of(ReadStateApiActions.readStateChangeFailed({ room, error: apiErrorOf(error).message })),
          ),
        );
      }),
    );
  },
  { functional: true },
);

/** "Mark as unread" from a message: the read position moves to just before it, everywhere. */
export const markUnread = createEffect(
  (actions$ = inject(Actions), api = inject(ReadStateApi)) => {
    return actions$.pipe(
      ofType(MessageListActions.markUnreadClicked),
      mergeMap(({ room, messageId }) =>
        api.markRead(room, { unreadFrom: messageId }).pipe(
          map((state) => ReadStateApiActions.readStateChanged({ state })),
          catchError((error: unknown) =>
            of(ReadStateApiActions.readStateChangeFailed({ room, error: apiErrorOf(error).message })),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store } from '@ngrx/store';
import {
  asyncScheduler,
  auditTime,
  catchError,
  distinctUntilChanged,
  filter,
  map,
  mergeMap,
  of,
  type SchedulerLike,
  switchMap,
} from 'rxjs';

import type { MarkReadRequest } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { apiErrorOf } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { MessageListActions, ReadStateApiActions, RoomSidebarReadActions } from './read-state.actions';
import { readStateFeature } from './read-state.feature';
import { selectReadTarget } from './read-state.selectors';
import { ReadStateApi } from './read-state-api';

/**
 * The whole read state from the server: once signed in, after every (re)connection (events may
 * have been missed meanwhile), when the user joins or opens a room, and when a message arrives in
 * a room it holds no state for yet (a direct message someone else started).
 */
export const loadReadState = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(ReadStateApi)) => {
    return actions$.pipe(
      ofType(
        SessionApiActions.signedIn,
        ChatHubActions.stateChanged,
        ChatHubActions.messageReceived,
        RoomsApiActions.roomCreated,
        RoomsApiActions.roomJoined,
        RoomsApiActions.directMessageOpened,
      ),
      concatLatestFrom(() => store.select(readStateFeature.selectRooms)),
      filter(([action, rooms]) => {
        if (action.type === ChatHubActions.stateChanged.type) return action.state === 'connected';
        if (action.type === ChatHubActions.messageReceived.type) return !(action.message.room in rooms);
        return true;
      }),
      switchMap(() =>
        api.list().pipe(
          map((rooms) => ReadStateApiActions.readStateLoaded({ rooms })),
          catchError((error: unknown) =>
            of(ReadStateApiActions.readStateLoadFailed({ error: apiErrorOf(error).message })),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * Opening a room, or reading it to its end, marks it read on the server up to the newest change
 * this tab holds (`PUT …/read`); the server tells the user's other tabs and devices with
 * `readState`. Changes closer together than `auditMs` go as one request.
 */
export const markRoomRead = createEffect(
  (store = inject(Store), api = inject(ReadStateApi), scheduler: SchedulerLike = asyncScheduler, auditMs = 150) => {
    return store.select(selectReadTarget).pipe(
      distinctUntilChanged(
        (a, b) => a?.room === b?.room && a?.seq === b?.seq && a?.unread === b?.unread && (a === null) === (b === null),
      ),
      auditTime(auditMs, scheduler),
      // Not distinct once nulls are gone: reading a room again after "mark as unread" asks the same again.
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

export const muteRoom = createEffect(
  (actions$ = inject(Actions), api = inject(ReadStateApi)) => {
    return actions$.pipe(
      ofType(RoomSidebarReadActions.muteToggled),
      mergeMap(({ room, muted }) =>
        api.mute(room, muted).pipe(
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

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store } from '@ngrx/store';
import { catchError, concatMap, filter, map, mergeMap, of, switchMap } from 'rxjs';

import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { apiErrorOf } from '../core/api-client';
import { BrowserActions } from '../core/browser.actions';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { PeopleListActions } from '../people/people.actions';
import { RoomAccessActions, RoomsApiActions, RoomsSidebarActions } from './rooms.actions';
import { roomsFeature } from './rooms.feature';
import { RoomsApi } from './rooms-api';

const failed = (error: unknown) => of(RoomsApiActions.roomChangeFailed({ error: apiErrorOf(error).message }));

/**
 * The room list, on sign-in and whenever it may have changed behind our back: after a
 * reconnect, when the tab comes back, when a message arrives for a room we do not know
 * (someone opened a direct message with us, or added us), and when our own role in a room
 * changed (what we may do there, which the list says).
 */
export const loadRooms = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(RoomsApi)) => {
    const unknownRoom$ = actions$.pipe(
      ofType(ChatHubActions.messageReceived),
      concatLatestFrom(() => store.select(roomsFeature.selectRoomEntities)),
      filter(([{ message }, rooms]) => rooms[message.room] === undefined),
    );
    const refresh$ = actions$.pipe(
      ofType(SessionApiActions.signedIn, ChatHubActions.stateChanged, BrowserActions.visibilityChanged),
      filter((action) =>
        'state' in action ? action.state === 'connected' : 'visible' in action ? action.visible : true,
      ),
    );
    const ownRole$ = actions$.pipe(
      ofType(ChatHubActions.memberChanged),
      concatLatestFrom(() => store.select(sessionFeature.selectUser)),
      filter(([{ change }, me]) => change.user.id === me?.id && change.gone === undefined),
    );
    return of(refresh$, unknownRoom$, ownRole$).pipe(
      mergeMap((trigger$) => trigger$),
      switchMap(() =>
        api.rooms().pipe(
          map((rooms) => RoomsApiActions.roomsLoaded({ rooms })),
          catchError((error: unknown) => of(RoomsApiActions.roomsLoadFailed({ error: apiErrorOf(error).message }))),
        ),
      ),
    );
  },
  { functional: true },
);

export const createRoom = createEffect(
  (actions$ = inject(Actions), api = inject(RoomsApi)) => {
    return actions$.pipe(
      ofType(RoomsSidebarActions.createRoomSubmitted),
      concatMap(({ name, private: isPrivate }) =>
        api.create(name, isPrivate).pipe(
          map((room) => RoomsApiActions.roomCreated({ room })),
          catchError(failed),
        ),
      ),
    );
  },
  { functional: true },
);

export const joinRoom = createEffect(
  (actions$ = inject(Actions), api = inject(RoomsApi)) => {
    return actions$.pipe(
      ofType(RoomsSidebarActions.joinClicked),
      mergeMap(({ room }) =>
        api.join(room).pipe(
          map((joined) => RoomsApiActions.roomJoined({ room: joined })),
          catchError(failed),
        ),
      ),
    );
  },
  { functional: true },
);

export const leaveRoom = createEffect(
  (actions$ = inject(Actions), api = inject(RoomsApi)) => {
    return actions$.pipe(
      ofType(RoomsSidebarActions.leaveClicked),
      mergeMap(({ room }) =>
        api.leave(room).pipe(
          map(() => RoomsApiActions.roomLeft({ room })),
          catchError(failed),
        ),
      ),
    );
  },
  { functional: true },
);

/** A DM with one person, or a group conversation with several: either opens once the server has it. */
export const openDirectMessage = createEffect(
  (actions$ = inject(Actions), api = inject(RoomsApi)) => {
    return actions$.pipe(
      ofType(PeopleListActions.directMessageClicked, PeopleListActions.groupSubmitted),
      concatMap((action) =>
        api.openDirectMessage('userId' in action ? action.userId : action.userIds).pipe(
          map((room) => RoomsApiActions.directMessageOpened({ room })),
          catchError(failed),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * Out of a room the list holds as joined (removed, banned, or left in another tab): it goes at
 * once, and if it was on screen the view goes to general and says why. Leaving in this tab has
 * already taken it out, so that echo changes nothing.
 */
export const loseRoom = createEffect(
  (actions$ = inject(Actions), store = inject(Store)) => {
    return actions$.pipe(
      ofType(ChatHubActions.membershipChanged),
      concatLatestFrom(() => [
        store.select(roomsFeature.selectRoomEntities),
        store.select(chatSelectors.selectActiveRoom),
      ]),
      mergeMap(([{ membership }, rooms, active]) => {
        const room = rooms[membership.name];
        if (membership.removed === undefined || membership.room !== undefined || !room?.joined) return [];
        return [
          RoomAccessActions.roomLost({
            room: room.name,
            title: room.title,
            reason: membership.removed,
            open: room.name === active,
          }),
        ];
      }),
    );
  },
  { functional: true },
);

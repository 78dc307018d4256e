import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { type Action, Store } from '@ngrx/store';
import { catchError, concat, filter, map, merge, mergeMap, type Observable, of, switchMap, tap } from 'rxjs';

import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { apiErrorOf } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { HistoryApiActions } from '../history/history.actions';
import { HistoryApi } from '../history/history-api';
import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { BrowserNotificationActions } from '../notifications/notifications.actions';
import { RoomAccessActions, RoomsApiActions } from '../rooms/rooms.actions';
import { AddressBar } from './address-bar';
import { messagePath, roomPath } from './addresses';
import { LinkedMessageApiActions } from './addresses.actions';

/**
 * The address names the room on screen: a link, a reload, Back and Forward open the room it names
 * (and the message, when it names one). Addresses are followed once signed in, so a link opened
 * signed out is followed after signing in (the sign-in returns to it).
 */
export const followAddress = createEffect(
  (actions$ = inject(Actions), store = inject(Store), addressBar = inject(AddressBar)) => {
    return addressBar.router$.pipe(
      switchMap((router) =>
        merge(router.navigated$, actions$.pipe(ofType(SessionApiActions.signedIn))).pipe(
          concatLatestFrom(() => [
            store.select(sessionFeature.selectStatus),
            store.select(chatSelectors.selectActiveRoom),
          ]),
          filter(([, status]) => status === 'signedIn'),
          mergeMap(([, , active]) => {
            const address = router.current();
            if (address === null) return [];
            const { room, messageId } = address;
            // The message first: a room opened at a message must not load its newest page meanwhile.
            return [
              ...(messageId === null ? [] : [ChatPageActions.messageLinkOpened({ room, id: messageId })]),
              ...(room === active ? [] : [ChatPageActions.roomSelected({ room })]),
            ];
          }),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * Whatever opens a room (the sidebar, creating, joining, a direct message, leaving the open one)
 * puts its address in the address bar, so Back returns to the room before. Leaving (or being
 * removed from) the open room replaces its entry: Back should not lead into a room you are out of.
 */
export const showRoomInAddress = createEffect(
  (actions$ = inject(Actions), store = inject(Store), addressBar = inject(AddressBar)) => {
    return actions$.pipe(
      ofType(
        ChatPageActions.roomSelected,
        RoomsApiActions.roomCreated,
        RoomsApiActions.roomJoined,
        RoomsApiActions.directMessageOpened,
        RoomsApiActions.roomLeft,
        RoomAccessActions.roomLost,
      ),
      concatLatestFrom(() => [store.select(chatSelectors.selectActiveRoom), addressBar.router$]),
      tap(([action, room, router]) => {
        const shown = router.current();
        // Before the first navigation ends the address is not read yet: it decides, not the store.
        if (shown !== null && shown.room !== room)
          router.navigate(
            roomPath(room),
            action.type === RoomsApiActions.roomLeft.type || action.type === RoomAccessActions.roomLost.type,
          );
      }),
    );
  },
  { functional: true, dispatch: false },
);

/** A click on a notification opens the message's address. */
export const openNotifiedMessage = createEffect(
  (actions$ = inject(Actions), addressBar = inject(AddressBar)) => {
    return actions$.pipe(
      ofType(BrowserNotificationActions.clicked),
      concatLatestFrom(() => addressBar.router$),
      tap(([{ room, messageId }, router]) => router.navigate(messagePath(room, messageId))),
    );
  },
  { functional: true, dispatch: false },
);

/**
 * A room opened at a message's address starts from the page around the message
 * (`?around=`) instead of its newest page. That page's cursor is where catch-up goes on from, so
 * everything newer arrives as after a reconnect, and older pages load as usual: every stored
 * message can be reached. No such message: the room opens on its newest page. Not a member
 * (403): the room offers to join, and joining loads the page.
 */
export const loadLinkedMessage = createEffect(
  (actions$ = inject(Actions), store = inject(Store), api = inject(HistoryApi)) => {
    return actions$.pipe(
      ofType(ChatPageActions.messageLinkOpened, RoomsApiActions.roomJoined, ChatHubActions.stateChanged),
      concatLatestFrom(() => [store.select(chatSelectors.selectLinked), store.select(chatSelectors.selectHistory)]),
      filter(([action, linked, history]) => {
        if (action.type === ChatHubActions.stateChanged.type && action.state !== 'connected') return false;
        return linked?.status === 'loading' && !history[linked.room]?.loaded;
      }),
      // The latest address opened wins.
      switchMap(([, linked]) => pageAround(api, linked!.room, linked!.id)),
    );
  },
  { functional: true },
);

function pageAround(api: HistoryApi, room: string, id: string): Observable<Action> {
  const loaded = (cursor: { around: string } | null) =>
    api
      .history(room, cursor)
      .pipe(
        map(({ messages, hasMore, cursor: complete }) =>
          HistoryApiActions.historyLoaded({ room, messages, hasMore, cursor: complete }),
        ),
      );
  const failed = (error: unknown) => {
    const { message, status } = apiErrorOf(error);
    return of(HistoryApiActions.historyFailed({ room, error: message, status }));
  };
  return loaded({ around: id }).pipe(
    catchError((error: unknown) => {
      const { status } = apiErrorOf(error);
      if (status !== 400 && status !== 404) return failed(error);
      return concat(
        of(LinkedMessageApiActions.linkedMessageMissing({ room, id })),
        loaded(null).pipe(catchError(failed)),
      );
    }),
  );
}

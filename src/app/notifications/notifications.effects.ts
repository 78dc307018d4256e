import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { type Action, Store } from '@ngrx/store';
import {
  asyncScheduler,
  filter,
  first,
  map,
  mergeMap,
  Observable,
  type SchedulerLike,
  switchMap,
  takeUntil,
  timer,
} from 'rxjs';

import { DM_PREFIX, type Message, notificationTag, type ReadState } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { EmojiShortcodes } from '../formatting/emoji-shortcodes';
import { hasShortcode } from '../formatting/format-tree';
import { Formatter } from '../formatting/formatter';
import { selectMentionNames } from '../mentions/mention.selectors';
import { chatSelectors } from '../messages/chat.selectors';
import { selectBlockedIds } from '../people/blocks.feature';
import { notifyLevel, readStateFeature } from '../read-state/read-state.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import { BROWSER_NOTIFICATIONS } from './browser-notifications';
import { BrowserNotificationActions, NotificationsApiActions } from './notifications.actions';

/**
 * What the browser already allows, read on sign-in (reading asks nothing). The permission is asked
 * only from the notification settings' "Turn on notifications on this device" (notification-settings/).
 */
export const readPermission = createEffect(
  (actions$ = inject(Actions), notifications = inject(BROWSER_NOTIFICATIONS)) => {
    return actions$.pipe(
      ofType(SessionApiActions.signedIn),
      map(() => NotificationsApiActions.permissionKnown({ permission: notifications.permission() })),
    );
  },
  { functional: true },
);

/** Whether a read position (here, in another tab or on another device) has the message read. */
function covers(state: ReadState | undefined, message: Message): boolean {
  return state !== undefined && message.seq !== undefined && state.readSeq >= message.seq;
}

/**
 * A mention (or a direct message) while the tab is hidden raises a browser notification; clicking
 * it focuses the window and opens the message's address (addresses.effects.ts). Nothing for the user's own messages, for
 * someone they blocked (an `@room` of theirs is a group event the server cannot hold back), for a room
 * muted (the server sends no `mention` then; checked here too, for a mute from another tab not
 * applied yet) or while the tab is visible. Every hidden tab of the user gets the event: the
 * notification's tag (the message id) makes the browser show it once.
 *
 * Another tab may be showing the room: it marks the message read within half a second (see
 * `markRoomRead`) and the server tells every tab with `readState`. So a notification
 * waits `delayMs` first and is dropped when a read position covering its message arrives
 * meanwhile; one shown already is closed when that position arrives later. Each waits for that
 * until clicked or closed (in every tab, as each closes its own).
 */
export const notifyMentions = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    notifications = inject(BROWSER_NOTIFICATIONS),
    emoji: Pick<EmojiShortcodes, 'load'> = inject(EmojiShortcodes),
    formatter: Pick<Formatter, 'plainText'> = inject(Formatter),
    scheduler: SchedulerLike = asyncScheduler,
    delayMs = 1000,
  ) => {
    const readStates$ = store.select(readStateFeature.selectRooms);
    return actions$.pipe(
      ofType(ChatHubActions.mentionReceived),
      concatLatestFrom(() => [
        store.select(sessionFeature.selectUser),
        store.select(chatSelectors.selectVisible),
        store.select(readStateFeature.selectRooms),
        store.select(roomsFeature.selectRoomEntities),
        store.select(selectMentionNames),
        store.select(selectBlockedIds),
      ]),
      filter(
        ([{ mention }, me, visible, states, , , blocked]) =>
          !visible &&
          mention.message.sender.id !== me?.id &&
          notifyLevel(states[mention.room]) !== 'nothing' &&
          !mention.message.deleted &&
          !blocked.has(mention.message.sender.id),
      ),
      mergeMap(([{ mention }, , , , rooms, names]) => {
        const { message, room } = mention;
        // The emoji table is small and lazy; meanwhile the wait gives it time to arrive.
        if (hasShortcode(message.text)) void emoji.load();
        const shown$ = new Observable<Action>((subscriber) => {
          // A direct message someone else just started may not be listed in this tab yet.
          const dm = rooms[room]?.kind === 'dm' || room.startsWith(DM_PREFIX);
          const title = dm ? message.sender.name : `${message.sender.name} in #${rooms[room]?.title ?? room}`;
          // Plain text from the Markdown parser (loaded when the app starts): no markers, names as `@Name`.
          const body = formatter.plainText(message.text, message.mentions, (id) => names[id]);
          return notifications.show(
            title,
            // The tag a push of this message carries too: one notification per message on the device.
            { body, tag: notificationTag(room, message.id) },
            () => {
              subscriber.next(BrowserNotificationActions.clicked({ room, messageId: message.id }));
              subscriber.complete();
            },
            () => subscriber.complete(),
          );
        });
        const read$ = readStates$.pipe(first((states) => covers(states[room], message)));
        // Ending early (read meanwhile) closes the notification: the teardown is its close.
        return timer(delayMs, scheduler).pipe(
          switchMap(() => shown$),
          takeUntil(read$),
        );
      }),
    );
  },
  { functional: true },
);

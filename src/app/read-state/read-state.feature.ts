import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import {
  allowsRoomMentions,
  DM_PREFIX,
  type Message,
  type NotifyLevel,
  type ReadState,
  UNREAD_COUNT_CAP,
} from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { blockedAfter } from '../people/blocks.feature';
import { BlocksApiActions, PeopleListActions } from '../people/people.actions';
import { MessageListActions, ReadStateApiActions } from './read-state.actions';

/**
 * The signed-in user's read state of each room, as the server keeps it (`GET /api/read-state`,
 * `readState` events, the answers to `PUT …/read` and `…/mute`). Between those, each new message
 * from someone else adds to its room's counts here, once per message (`counted`), until the next
 * state from the server replaces them; one of those deleted meanwhile is taken off again, as the
 * server does not count deleted messages and sends no `readState` for someone else's deletion; and
 * one an edit made mention the user or not (`@room` added or removed, for which the server sends
 * nobody a `readState`) moves the mention count, as a fresh load would.
 */
export interface ReadStateState {
  readonly self: string | null;
  readonly rooms: Readonly<Record<string, ReadState>>;
  /** Per room, messages counted locally since the server's state: a message delivered twice counts once. */
  readonly counted: Readonly<Record<string, Readonly<Record<string, Counted>>>>;
  /** The user marked this room unread while in it: it is not marked read again until they open another room. */
  readonly heldUnread: string | null;
  /**
   * The user marked this room unread in another tab or device (a `readState` event moved its
   * position back): a tab showing it does not mark it read again until the person opens a room here.
   */
  readonly unreadElsewhere: string | null;
  /** The open room's list shows its newest messages. */
  readonly atEnd: boolean;
  /** People the user blocked: their messages count as unread, never as mentions (as the server counts). */
  readonly blocked: Readonly<Record<string, true>>;
}

export const initialReadState: ReadStateState = {
  self: null,
  rooms: {},
  counted: {},
  heldUnread: null,
  unreadElsewhere: null,
  atEnd: true,
  blocked: {},
};

/**
 * How a message was counted locally: `mention` added a mention too (a deleted message no longer
 * says whom it mentioned); `gone`: deleted since and taken off again, so it counts no more.
 */
export type Counted = 'unread' | 'mention' | 'gone';

/** Counts as the sidebar shows them. */
export interface RoomCounts {
  readonly unread: number;
  readonly mentions: number;
  readonly muted: boolean;
}

/** What of a room notifies the person: `notify`, or from `muted` for a server that does not send it yet. */
export function notifyLevel(state: ReadState | undefined): NotifyLevel {
  return state?.notify ?? (state?.muted ? 'nothing' : 'mentions');
}

/** Whether a message counts as mentioning the user (by id, `@room` where allowed, or any message of a DM). */
export function mentionsUser(message: Pick<Message, 'room' | 'mentions' | 'mentionsRoom'>, userId: string): boolean {
  return (
    message.room.startsWith(DM_PREFIX) ||
    (message.mentionsRoom === true && allowsRoomMentions(message.room)) ||
    (message.mentions?.includes(userId) ?? false)
  );
}

/** Applies a state from the server when it is at least as new as the one held (`newer`: strictly newer, for events). */
function apply(state: ReadStateState, incoming: ReadState, newer: boolean): ReadStateState {
  const held = state.rooms[incoming.room];
  if (held && (newer ? incoming.version <= held.version : incoming.version < held.version)) return state;
  const { [incoming.room]: _dropped, ...counted } = state.counted;
  return { ...state, rooms: { ...state.rooms, [incoming.room]: incoming }, counted };
}

function countArrival(state: ReadStateState, message: Message): ReadStateState {
  const held = state.rooms[message.room];
  const self = state.self;
  if (!held || self === null || message.sender.id === self || message.deleted) return state;
  if (message.seq !== undefined && message.seq <= held.readSeq) return state;
  const counted = state.counted[message.room] ?? {};
  if (Object.hasOwn(counted, message.id)) return state;
  const mention = mentionsUser(message, self) && state.blocked[message.sender.id] !== true;
  const next: ReadState = {
    ...held,
    unread: Math.min(held.unread + 1, UNREAD_COUNT_CAP),
    mentions: mention ? Math.min(held.mentions + 1, UNREAD_COUNT_CAP) : held.mentions,
  };
  return {
    ...state,
    rooms: { ...state.rooms, [message.room]: next },
    counted: { ...state.counted, [message.room]: { ...counted, [message.id]: mention ? 'mention' : 'unread' } },
  };
}

/**
 * A message counted here since the server's last state was deleted: it is taken off the counts
 * again, as the server's count (which skips deleted messages) would be. One the server's state
 * counted already stays until the next state. At the cap the true count is unknown (it may be
 * higher still), so the capped count stays.
 */
function countDeletion(state: ReadStateState, message: Message): ReadStateState {
  const held = state.rooms[message.room];
  const counted = state.counted[message.room];
  const how = counted && Object.hasOwn(counted, message.id) ? counted[message.id] : undefined;
  if (!held || !message.deleted || how === undefined || how === 'gone') return state;
  const takeOff = (count: number) => (count >= UNREAD_COUNT_CAP ? count : Math.max(count - 1, 0));
  const next: ReadState = {
    ...held,
    unread: takeOff(held.unread),
    mentions: how === 'mention' ? takeOff(held.mentions) : held.mentions,
  };
  return {
    ...state,
    rooms: { ...state.rooms, [message.room]: next },
    counted: { ...state.counted, [message.room]: { ...counted, [message.id]: 'gone' } },
  };
}

/**
 * An edit of a message counted here that changed whether it mentions the user (`@room` or their
 * name added or removed) moves the mention count by one, as the server's count would. One the
 * server's state counted already stays until the next state.
 */
function countEdit(state: ReadStateState, message: Message): ReadStateState {
  const held = state.rooms[message.room];
  const counted = state.counted[message.room];
  const how = counted && Object.hasOwn(counted, message.id) ? counted[message.id] : undefined;
  if (!held || state.self === null || message.deleted || (how !== 'unread' && how !== 'mention')) return state;
  const mention = mentionsUser(message, state.self);
  if (mention === (how === 'mention')) return state;
  const mentions = mention
    ? Math.min(held.mentions + 1, UNREAD_COUNT_CAP)
    : held.mentions >= UNREAD_COUNT_CAP
      ? held.mentions
      : Math.max(held.mentions - 1, 0);
  return {
    ...state,
    rooms: { ...state.rooms, [message.room]: { ...held, mentions } },
    counted: { ...state.counted, [message.room]: { ...counted, [message.id]: mention ? 'mention' : 'unread' } },
  };
}

export const readStateFeature = createFeature({
  name: 'readState',
  reducer: createReducer(
    initialReadState,
    on(SessionApiActions.signedIn, (state, { user }): ReadStateState => ({ ...state, self: user.id })),
    on(ReadStateApiActions.readStateLoaded, (state, { rooms }): ReadStateState =>
      rooms.reduce((next, room) => apply(next, room, false), state),
    ),
    // An answer is the server's state when it answered: its counts replace local ones of the same version.
    on(ReadStateApiActions.readStateChanged, (state, { state: incoming }): ReadStateState =>
      apply(state, incoming, false),
    ),
    on(ChatHubActions.readStateReceived, (state, { state: incoming }): ReadStateState => {
      const held = state.rooms[incoming.room];
      const next = apply(state, incoming, true);
      // Only "mark as unread" moves a position back.
      const markedUnread = next !== state && held !== undefined && incoming.readSeq < held.readSeq;
      return markedUnread ? { ...next, unreadElsewhere: incoming.room } : next;
    }),
    on(ChatHubActions.messageReceived, (state, { message }): ReadStateState => countArrival(state, message)),
    on(ChatHubActions.messageChanged, (state, { message }): ReadStateState =>
      countEdit(countDeletion(state, message), message),
    ),
    on(
      BlocksApiActions.blocksLoaded,
      PeopleListActions.blockClicked,
      PeopleListActions.unblockClicked,
      BlocksApiActions.blockFailed,
      BlocksApiActions.unblockFailed,
      (state, action): ReadStateState => ({ ...state, blocked: blockedAfter(state.blocked, action) }),
    ),
    on(MessageListActions.markUnreadClicked, (state, { room }): ReadStateState => ({ ...state, heldUnread: room })),
    on(MessageListActions.readingPositionChanged, (state, { atEnd }): ReadStateState =>
      atEnd === state.atEnd ? state : { ...state, atEnd },
    ),
    on(ChatPageActions.roomSelected, (state, { room }): ReadStateState => {
      const heldUnread = state.heldUnread === room ? room : null;
      return heldUnread === state.heldUnread && state.unreadElsewhere === null
        ? state
        : { ...state, heldUnread, unreadElsewhere: null };
    }),
  ),
  extraSelectors: ({ selectRooms, selectHeldUnread, selectUnreadElsewhere }) => {
    /** The room on screen: its counts are not shown (it is being read), unless the user marked it unread (here or elsewhere). */
    const selectRoomOnScreen = createSelector(
      chatSelectors.selectActiveRoom,
      chatSelectors.selectVisible,
      selectHeldUnread,
      selectUnreadElsewhere,
      (room, visible, held, elsewhere): string | null => (visible && held !== room && elsewhere !== room ? room : null),
    );
    const selectRoomCounts = createSelector(
      selectRooms,
      selectRoomOnScreen,
      (rooms, onScreen): Readonly<Record<string, RoomCounts>> => {
        const counts: Record<string, RoomCounts> = {};
        for (const state of Object.values(rooms)) {
          const shown = state.room !== onScreen;
          counts[state.room] = {
            unread: shown ? state.unread : 0,
            mentions: shown ? state.mentions : 0,
            // "Nothing": counted, but without the emphasis of a room that notifies.
            muted: notifyLevel(state) === 'nothing',
          };
        }
        return counts;
      },
    );
    return {
      selectRoomOnScreen,
      selectRoomCounts,
      /** Unread messages of every room that is not muted: the tab title and the narrow-screen menu badge. */
      selectTotalUnread: createSelector(selectRoomCounts, (counts) =>
        Object.values(counts).reduce((sum, room) => sum + (room.muted ? 0 : room.unread), 0),
      ),
    };
  },
});

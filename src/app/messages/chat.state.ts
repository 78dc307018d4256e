import { createEntityAdapter, type EntityState } from '@ngrx/entity';

import { GENERAL_ROOM, type Message, type ReactionChangedEvent } from '../../../contract';
import { type ChatMessage, sent } from './chat-message';
import type { ComposerError } from './composer-error';
import { applyReactionChange, withKnownMine } from './reaction-changes';
import { emptyHistory, type RoomHistory, seen } from './room-history';

export const GENERAL = GENERAL_ROOM;

/** A message the server refused to change, and why (shown on the message). */
export interface ChangeError {
  readonly id: string;
  readonly message: string;
}

/** Looking for a quoted message that is not loaded yet, page by older page. */
export interface Seek {
  readonly room: string;
  readonly id: string;
  readonly status: 'loading' | 'found' | 'missing';
}

/**
 * The message a message address names (`/r/{room}/m/{id}`): loading the page around it, shown
 * (the list scrolls to it and highlights it), or missing (no such message in the room).
 */
export interface LinkedMessage {
  readonly room: string;
  readonly id: string;
  readonly status: 'loading' | 'found' | 'missing';
}

/**
 * The `chat` slice: the messages of every room, which room is open and how far each was read.
 * The outbox (delivery status, composer errors), history (what the server has) and message
 * actions (edits, deletions, reactions) keep their bookkeeping here too, because all of them
 * change the same message entities; each owns its reducer.
 */
export interface ChatState extends EntityState<ChatMessage> {
  readonly activeRoom: string;
  readonly visible: boolean;
  readonly history: Readonly<Record<string, RoomHistory>>;
  /** Per room, the `sentAt` of the newest message the user has seen there. */
  readonly lastRead: Readonly<Record<string, string>>;
  /** The active room's read position when the user arrived: the "new messages" divider goes after it. */
  readonly readMarker: string | null;
  readonly composerError: ComposerError | null;
  /** A send found no server (no answer at all) and none has got through since, nor has the live connection been made again. */
  readonly serverUnreachable: boolean;
  readonly changeError: ChangeError | null;
  readonly seek: Seek | null;
  readonly linked: LinkedMessage | null;
}

export const messagesAdapter = createEntityAdapter<ChatMessage>({
  sortComparer: (a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
});

export const initialChatState: ChatState = messagesAdapter.getInitialState({
  activeRoom: GENERAL,
  visible: true,
  history: {},
  lastRead: {},
  readMarker: null,
  composerError: null,
  serverUnreachable: false,
  changeError: null,
  seek: null,
  linked: null,
});

export function newestIn(state: ChatState, room: string): string | undefined {
  let newest: string | undefined;
  for (const id of state.ids) {
    const message = state.entities[id];
    if (message?.room === room && message.status === 'sent' && (newest === undefined || message.sentAt > newest)) {
      newest = message.sentAt;
    }
  }
  return newest;
}

export function withHistory(state: ChatState, room: string, change: Partial<RoomHistory>): ChatState['history'] {
  return { ...state.history, [room]: { ...(state.history[room] ?? emptyHistory), ...change } };
}

/**
 * Whether a copy from the server is newer than the one held. Each change takes a higher `seq`,
 * so an older copy arriving late (a slow response, an event overtaken by catch-up) never
 * replaces a newer one. Our own unsent copy always gives way to the server's.
 */
export function isNewer(incoming: Message, held: ChatMessage | undefined): boolean {
  if (!held || held.status !== 'sent' || held.seq === undefined) return true;
  return incoming.seq !== undefined && (incoming.seq > held.seq || (held.behind === true && incoming.seq === held.seq));
}

/**
 * Server copies win when newer: they carry the stored text and server time, and mark the message
 * sent. Each copy replaces the one held whole (a deletion takes the reactions away), except which
 * reactions are the viewer's when the copy does not say (a broadcast), and its change number
 * counts as seen for the room's catch-up cursor.
 */
export function upsertSent(messages: readonly Message[], state: ChatState): ChatState {
  const fresh = messages
    .filter((message) => isNewer(message, state.entities[message.id]))
    .map((message) =>
      message.reactions
        ? { ...message, reactions: withKnownMine(message.reactions, state.entities[message.id]?.reactions) }
        : message,
    );
  const next = fresh.length > 0 ? messagesAdapter.setMany(fresh.map(sent), state) : state;
  return withSeen(next, messages);
}

/**
 * A `reactionChanged` delta, applied to the message held at a lower change number. Held at the
 * delta's `previousSeq` (or anything between), the message is then exactly as the server has it;
 * held older than that, a change of it was missed: its reactions are shown anyway and it is marked
 * `behind`, and the gap in the room's change numbers brings it whole with the next catch-up. A
 * message not held is left for the page that brings it; the number counts as seen either way.
 */
export function applyReaction(state: ChatState, change: ReactionChangedEvent, byViewer: boolean): ChatState {
  const held = state.entities[change.id];
  let next = state;
  if (held && held.status === 'sent' && !held.deleted && (held.seq === undefined || change.seq > held.seq)) {
    const { reactions: _reactions, behind: _behind, ...rest } = held;
    const reactions = applyReactionChange(held.reactions, change, byViewer);
    const missed = held.behind === true || (held.seq !== undefined && held.seq < change.previousSeq);
    next = messagesAdapter.setOne(
      {
        ...rest,
        seq: change.seq,
        ...(reactions.length > 0 && { reactions }),
        ...(missed && { behind: true as const }),
      },
      state,
    );
  }
  return withSeen(next, [change]);
}

/**
 * Changes (events, catch-up pages) may concern messages older than anything loaded: those are
 * left for the older pages, which bring them in their current state, so the loaded history never
 * gets a hole that paging back would skip.
 */
export function upsertChanged(messages: readonly Message[], state: ChatState): ChatState {
  const oldest = oldestSentAt(state, new Set(messages.map((message) => message.room)));
  const placeable = messages.filter((message) => {
    if (state.entities[message.id]) return true;
    const history = state.history[message.room];
    if (history?.loaded && !history.hasMore) return true;
    const from = oldest.get(message.room);
    return from !== undefined && message.sentAt >= from;
  });
  return withSeen(upsertSent(placeable, state), messages);
}

function oldestSentAt(state: ChatState, rooms: ReadonlySet<string>): Map<string, string> {
  const oldest = new Map<string, string>();
  for (const id of state.ids) {
    const message = state.entities[id];
    if (message?.status === 'sent' && rooms.has(message.room) && !oldest.has(message.room)) {
      oldest.set(message.room, message.sentAt);
    }
  }
  return oldest;
}

function withSeen(state: ChatState, messages: readonly Pick<Message, 'room' | 'seq'>[]): ChatState {
  let history = state.history;
  for (const message of messages) {
    const room = history[message.room];
    if (room === undefined || message.seq === undefined) continue;
    const next = seen(room, [message.seq]);
    if (next !== room) history = { ...history, [message.room]: next };
  }
  return history === state.history ? state : { ...state, history };
}

function markRead(state: ChatState, room: string): Record<string, string> {
  const newest = newestIn(state, room);
  return newest === undefined ? state.lastRead : { ...state.lastRead, [room]: newest };
}

/** Switches rooms: the one left is read up to now; the one opened remembers where reading stopped. */
export function openRoom(state: ChatState, room: string): ChatState {
  if (room === state.activeRoom) return state;
  const lastRead = markRead(state, state.activeRoom);
  return {
    ...state,
    activeRoom: room,
    readMarker: lastRead[room] ?? null,
    lastRead: markRead({ ...state, lastRead }, room),
  };
}

/** The tab was hidden or shown: reading stops or resumes in the open room. */
export function changeVisibility(state: ChatState, visible: boolean): ChatState {
  if (visible === state.visible) return state;
  const lastRead = markRead(state, state.activeRoom);
  return visible
    ? { ...state, visible, readMarker: state.lastRead[state.activeRoom] ?? null, lastRead }
    : { ...state, visible, lastRead };
}

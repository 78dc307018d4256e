import { createEntityAdapter, type EntityState } from '@ngrx/entity';

import { GENERAL_ROOM, type Message } from '../../../contract';
import { emptyHistory, type RoomHistory } from '../history/room-history';
import type { ComposerError } from '../outbox/composer-error';
import { type ChatMessage, sent } from './chat-message';

export const GENERAL = GENERAL_ROOM;

/**
 * The `chat` slice: the messages of every room, which room is open and how far each was read.
 * The outbox (delivery status, composer errors) and history (what the server has) keep their
 * bookkeeping here too, because both change the same message entities; each owns its reducer.
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

/** Server copies win: they carry the stored text and server time, and mark the message sent. */
export function upsertSent(messages: readonly Message[], state: ChatState): ChatState {
  return messagesAdapter.upsertMany(messages.map(sent), state);
}

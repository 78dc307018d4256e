import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createFeature, createReducer, createSelector, on } from '@ngrx/store';
import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { GENERAL_ROOM, type Message } from '../../../contract';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { BrowserActions, ChatPageActions, MessagesApiActions, OutboxActions, RateLimitActions } from './chat.actions';
import { sent, type ChatMessage } from './chat-message';

export const GENERAL = GENERAL_ROOM;

/** What we know about one room's history on the server. */
export interface RoomHistory {
  readonly loaded: boolean;
  readonly hasMore: boolean;
  readonly loadingOlder: boolean;
  readonly error: string | null;
}

export interface ComposerError {
  readonly room: string;
  readonly message: string;
  /** `rate`: shown until the wait is over; `delay`: until the server answers again; `send`: until the next send. */
  readonly kind: 'rate' | 'delay' | 'send';
}

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

const emptyHistory: RoomHistory = { loaded: false, hasMore: true, loadingOlder: false, error: null };

function newestIn(state: ChatState, room: string): string | undefined {
  let newest: string | undefined;
  for (const id of state.ids) {
    const message = state.entities[id];
    if (message?.room === room && message.status === 'sent' && (newest === undefined || message.sentAt > newest)) {
      newest = message.sentAt;
    }
  }
  return newest;
}

function markRead(state: ChatState, room: string): Record<string, string> {
  const newest = newestIn(state, room);
  return newest === undefined ? state.lastRead : { ...state.lastRead, [room]: newest };
}

function withHistory(state: ChatState, room: string, change: Partial<RoomHistory>): ChatState['history'] {
  return { ...state.history, [room]: { ...(state.history[room] ?? emptyHistory), ...change } };
}

/** Switches rooms: the one left is read up to now; the one opened remembers where reading stopped. */
function openRoom(state: ChatState, room: string): ChatState {
  if (room === state.activeRoom) return state;
  const lastRead = markRead(state, state.activeRoom);
  return {
    ...state,
    activeRoom: room,
    readMarker: lastRead[room] ?? null,
    lastRead: markRead({ ...state, lastRead }, room),
  };
}

function clearError(error: ComposerError | null, kind: ComposerError['kind'], room: string): ComposerError | null {
  return error?.kind === kind && error.room === room ? null : error;
}

/** Server copies win: they carry the stored text and server time, and mark the message sent. */
function upsertSent(messages: readonly Message[], state: ChatState): ChatState {
  return messagesAdapter.upsertMany(messages.map(sent), state);
}

export const chatFeature = createFeature({
  name: 'chat',
  reducer: createReducer(
    initialChatState,
    on(ChatPageActions.roomSelected, (state, { room }): ChatState => openRoom(state, room)),
    on(
      RoomsApiActions.roomCreated,
      RoomsApiActions.roomJoined,
      RoomsApiActions.directMessageOpened,
      (state, { room }): ChatState => openRoom(state, room.name),
    ),
    on(RoomsApiActions.roomLeft, (state, { room }): ChatState =>
      room === state.activeRoom ? openRoom(state, GENERAL) : state,
    ),
    on(BrowserActions.visibilityChanged, (state, { visible }): ChatState => {
      if (visible === state.visible) return state;
      const lastRead = markRead(state, state.activeRoom);
      return visible
        ? { ...state, visible, readMarker: state.lastRead[state.activeRoom] ?? null, lastRead }
        : { ...state, visible, lastRead };
    }),
    on(ChatPageActions.messageSent, (state, { message }): ChatState => ({
      ...messagesAdapter.addOne({ ...message, status: 'pending' }, state),
      composerError: clearError(state.composerError, 'send', message.room),
    })),
    on(ChatPageActions.retryClicked, (state, { message }): ChatState => {
      const current = state.entities[message.id];
      return current?.status === 'failed'
        ? {
            ...messagesAdapter.updateOne(
              { id: message.id, changes: { status: 'pending', retryable: undefined } },
              state,
            ),
            composerError: clearError(state.composerError, 'send', message.room),
          }
        : state;
    }),
    on(OutboxActions.restored, (state, { messages }): ChatState =>
      messagesAdapter.addMany(
        messages.map((message) => ({ ...message, status: 'pending' as const })),
        state,
      ),
    ),
    on(ChatHubActions.messageReceived, (state, { message }): ChatState => upsertSent([message], state)),
    on(MessagesApiActions.sendSucceeded, (state, { message }): ChatState => ({
      ...upsertSent([message], state),
      // The server answers again, so "can't reach the server" is over.
      composerError: clearError(state.composerError, 'delay', message.room),
    })),
    on(MessagesApiActions.sendDelayed, (state, { room, error }): ChatState =>
      state.composerError?.kind === 'rate' && state.composerError.room === room
        ? state
        : { ...state, composerError: { room, message: error, kind: 'delay' } },
    ),
    on(MessagesApiActions.sendFailed, (state, { id, room, error, retryable, retryAfterSeconds }): ChatState => {
      const current = state.entities[id];
      if (!current || current.status === 'sent') return state;
      const failed = messagesAdapter.updateOne({ id, changes: { status: 'failed', retryable } }, state);
      const kind = retryAfterSeconds !== undefined ? 'rate' : retryable ? 'delay' : 'send';
      if (kind === 'delay' && state.composerError?.kind === 'rate' && state.composerError.room === room) return failed;
      return { ...failed, composerError: { room, message: error, kind } };
    }),
    on(RateLimitActions.waitOver, (state, { room }): ChatState => ({
      ...state,
      composerError: clearError(state.composerError, 'rate', room),
    })),
    on(MessagesApiActions.historyLoaded, (state, { room, messages, hasMore }): ChatState => {
      const next = upsertSent(messages, state);
      const history = withHistory(state, room, { loaded: true, hasMore, error: null });
      // A first page is history, not news: it does not count as unread. An empty room is read up
      // to the beginning (''), so what arrives next counts and is marked as new.
      const lastRead =
        state.lastRead[room] === undefined ? { ...state.lastRead, [room]: newestIn(next, room) ?? '' } : state.lastRead;
      return { ...next, history, lastRead };
    }),
    on(MessagesApiActions.historyFailed, (state, { room, error }): ChatState => ({
      ...state,
      history: withHistory(state, room, { error }),
    })),
    on(ChatPageActions.olderMessagesRequested, (state, { room }): ChatState => {
      const history = state.history[room];
      return history?.loaded && history.hasMore && !history.loadingOlder
        ? { ...state, history: withHistory(state, room, { loadingOlder: true, error: null }) }
        : state;
    }),
    on(MessagesApiActions.olderLoaded, (state, { room, messages, hasMore }): ChatState => ({
      ...upsertSent(messages, state),
      history: withHistory(state, room, { hasMore, loadingOlder: false }),
    })),
    on(MessagesApiActions.olderFailed, (state, { room, error }): ChatState => ({
      ...state,
      history: withHistory(state, room, { loadingOlder: false, error }),
    })),
    on(MessagesApiActions.caughtUp, (state, { messages }): ChatState => upsertSent(messages, state)),
  ),
  extraSelectors: ({
    selectChatState,
    selectActiveRoom,
    selectHistory,
    selectLastRead,
    selectVisible,
    selectComposerError,
  }) => {
    const { selectAll } = messagesAdapter.getSelectors(selectChatState);
    const selectActiveMessages = createSelector(selectAll, selectActiveRoom, (messages, room) =>
      messages.filter((message) => message.room === room),
    );
    const selectUnreadByRoom = createSelector(
      selectAll,
      selectLastRead,
      selectActiveRoom,
      selectVisible,
      sessionFeature.selectUser,
      (messages, lastRead, activeRoom, visible, user): Readonly<Record<string, number>> => {
        const counts: Record<string, number> = {};
        for (const message of messages) {
          if (message.sender.id === user?.id || (visible && message.room === activeRoom)) continue;
          if (message.sentAt > (lastRead[message.room] ?? '')) counts[message.room] = (counts[message.room] ?? 0) + 1;
        }
        return counts;
      },
    );
    /** Per room, the oldest and newest message the server has confirmed: the cursors for paging and catch-up. */
    const selectRoomBounds = createSelector(selectAll, (messages) => {
      const bounds: Record<string, { oldest: string; newest: string }> = {};
      for (const message of messages) {
        if (message.status !== 'sent') continue;
        const current = bounds[message.room];
        if (current) current.newest = message.id;
        else bounds[message.room] = { oldest: message.id, newest: message.id };
      }
      return bounds as Readonly<Record<string, { readonly oldest: string; readonly newest: string }>>;
    });
    return {
      selectAllMessages: selectAll,
      selectRoomBounds,
      selectActiveMessages,
      selectActiveHistory: createSelector(
        selectHistory,
        selectActiveRoom,
        (history, room) => history[room] ?? emptyHistory,
      ),
      selectActiveComposerError: createSelector(selectComposerError, selectActiveRoom, (error, room) =>
        error?.room === room ? error.message : null,
      ),
      selectOutbox: createSelector(selectAll, (messages) => messages.filter((message) => message.status !== 'sent')),
      selectUnreadByRoom,
      selectTotalUnread: createSelector(selectUnreadByRoom, (counts) =>
        Object.values(counts).reduce((sum, count) => sum + count, 0),
      ),
    };
  },
});

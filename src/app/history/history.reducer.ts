import { on } from '@ngrx/store';

import { type ChatState, newestIn, upsertChanged, upsertSent, withHistory } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { completeUpTo, emptyHistory } from '../messages/room-history';
import { HistoryApiActions } from './history.actions';

/**
 * Pages from the server merge into the messages by id, newer copies (by change number) winning;
 * each room remembers whether there is more, and the change number it holds everything up to.
 */
export const historyReducers = [
  on(HistoryApiActions.historyLoaded, (state: ChatState, { room, messages, hasMore, cursor }): ChatState => {
    const current = state.history[room] ?? emptyHistory;
    const history = {
      ...state.history,
      [room]: completeUpTo({ ...current, loaded: true, hasMore, error: null, refusal: null }, cursor),
    };
    const next = upsertSent(messages, { ...state, history });
    // A first page is history, not news: it counts as read, so no "new messages" divider goes
    // inside it. An empty room is read up to the beginning (''), so what arrives next is marked as new.
    const lastRead =
      state.lastRead[room] === undefined ? { ...state.lastRead, [room]: newestIn(next, room) ?? '' } : state.lastRead;
    return { ...next, lastRead };
  }),
  on(HistoryApiActions.historyFailed, (state: ChatState, { room, error, status }): ChatState => ({
    ...state,
    history: withHistory(state, room, {
      error,
      refusal: status === 404 ? 'not-found' : status === 403 ? 'not-member' : null,
    }),
  })),
  on(ChatPageActions.olderMessagesRequested, (state: ChatState, { room }): ChatState => {
    const history = state.history[room];
    return history?.loaded && history.hasMore && !history.loadingOlder
      ? { ...state, history: withHistory(state, room, { loadingOlder: true, error: null }) }
      : state;
  }),
  on(HistoryApiActions.olderLoaded, (state: ChatState, { room, messages, hasMore }): ChatState => {
    const next = upsertSent(messages, state);
    return { ...next, history: withHistory(next, room, { hasMore, loadingOlder: false }) };
  }),
  on(HistoryApiActions.olderFailed, (state: ChatState, { room, error }): ChatState => ({
    ...state,
    history: withHistory(state, room, { loadingOlder: false, error }),
  })),
  on(HistoryApiActions.caughtUp, (state: ChatState, { room, messages, cursor }): ChatState => {
    const next = upsertChanged(messages, state);
    const history = next.history[room];
    return history ? { ...next, history: { ...next.history, [room]: completeUpTo(history, cursor) } } : next;
  }),
  on(ChatPageActions.quotedMessageRequested, (state: ChatState, { room, id }): ChatState => ({
    ...state,
    seek: { room, id, status: state.entities[id] ? 'found' : 'loading' },
  })),
  on(HistoryApiActions.quotedMessageFound, (state: ChatState, { room, id }): ChatState => ({
    ...state,
    seek: { room, id, status: 'found' },
  })),
  on(HistoryApiActions.quotedMessageMissing, (state: ChatState, { room, id }): ChatState => ({
    ...state,
    seek: { room, id, status: 'missing' },
  })),
  on(ChatPageActions.roomSelected, (state: ChatState): ChatState => (state.seek ? { ...state, seek: null } : state)),
];

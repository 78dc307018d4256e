import { on } from '@ngrx/store';

import { type ChatState, newestIn, upsertSent, withHistory } from '../chat/chat.state';
import { ChatPageActions } from '../chat/chat-page.actions';
import { HistoryApiActions } from './history.actions';

/** Pages from the server merge into the messages by id; each room remembers whether there is more. */
export const historyReducers = [
  on(HistoryApiActions.historyLoaded, (state: ChatState, { room, messages, hasMore }): ChatState => {
    const next = upsertSent(messages, state);
    const history = withHistory(state, room, { loaded: true, hasMore, error: null });
    // A first page is history, not news: it does not count as unread. An empty room is read up
    // to the beginning (''), so what arrives next counts and is marked as new.
    const lastRead =
      state.lastRead[room] === undefined ? { ...state.lastRead, [room]: newestIn(next, room) ?? '' } : state.lastRead;
    return { ...next, history, lastRead };
  }),
  on(HistoryApiActions.historyFailed, (state: ChatState, { room, error }): ChatState => ({
    ...state,
    history: withHistory(state, room, { error }),
  })),
  on(ChatPageActions.olderMessagesRequested, (state: ChatState, { room }): ChatState => {
    const history = state.history[room];
    return history?.loaded && history.hasMore && !history.loadingOlder
      ? { ...state, history: withHistory(state, room, { loadingOlder: true, error: null }) }
      : state;
  }),
  on(HistoryApiActions.olderLoaded, (state: ChatState, { room, messages, hasMore }): ChatState => ({
    ...upsertSent(messages, state),
    history: withHistory(state, room, { hasMore, loadingOlder: false }),
  })),
  on(HistoryApiActions.olderFailed, (state: ChatState, { room, error }): ChatState => ({
    ...state,
    history: withHistory(state, room, { loadingOlder: false, error }),
  })),
  on(HistoryApiActions.caughtUp, (state: ChatState, { messages }): ChatState => upsertSent(messages, state)),
];

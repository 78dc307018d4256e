import { on } from '@ngrx/store';

import { HistoryApiActions } from '../history/history.actions';
import { type ChatState, messagesAdapter } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { LinkedMessageApiActions } from './addresses.actions';

/**
 * A message's address: shown at once when it is loaded; otherwise the room starts again from the
 * page around it (addresses.effects.ts). A room already loaded but without the message lets its
 * confirmed messages go first: they are all newer (or it would be there) and catch-up from that
 * page brings them back, so the room never shows two runs of history with a hole between them.
 */
export const linkedMessageReducers = [
  on(ChatPageActions.messageLinkOpened, (state: ChatState, { room, id }): ChatState => {
    const held = state.entities[id];
    if (held?.room === room && held.status === 'sent') return { ...state, linked: { room, id, status: 'found' } };
    const linked = { room, id, status: 'loading' } as const;
    if (!state.history[room]) return { ...state, linked };
    const history = Object.fromEntries(Object.entries(state.history).filter(([name]) => name !== room));
    const confirmed = state.ids.filter((key) => {
      const message = state.entities[key];
      return message?.room === room && message.status === 'sent';
    });
    return { ...messagesAdapter.removeMany(confirmed as string[], state), history, linked };
  }),
  on(HistoryApiActions.historyLoaded, (state: ChatState, { room, messages }): ChatState => {
    const linked = state.linked;
    if (linked?.room !== room || linked.status !== 'loading') return state;
    const status = messages.some((message) => message.id === linked.id) ? 'found' : 'missing';
    return { ...state, linked: { ...linked, status } };
  }),
  on(LinkedMessageApiActions.linkedMessageMissing, (state: ChatState, { room, id }): ChatState =>
    state.linked?.room === room && state.linked.id === id
      ? { ...state, linked: { ...state.linked, status: 'missing' } }
      : state,
  ),
  on(ChatPageActions.roomSelected, (state: ChatState, { room }): ChatState =>
    state.linked && state.linked.room !== room ? { ...state, linked: null } : state,
  ),
];

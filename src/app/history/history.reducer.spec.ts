import type { Message } from '../../../contract';
import { chatFeature, type ChatState, initialChatState } from '../chat/chat.feature';
import { ChatPageActions } from '../chat/chat-page.actions';
import { ChatHubActions } from '../core/hub.actions';
import { HistoryApiActions } from './history.actions';

const ben = { id: 'u-ben', name: 'Ben' };
const reducer = chatFeature.reducer;

function message(id: string, sentAt: string, overrides: Partial<Message> = {}): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ben, sentAt, ...overrides };
}

function reduce(...actions: Parameters<typeof reducer>[1][]): ChatState {
  return actions.reduce((state, action) => reducer(state, action), initialChatState);
}

function texts(state: ChatState): string[] {
  return chatFeature.selectActiveMessages
    .projector(chatFeature.selectAllMessages.projector(state), state.activeRoom)
    .map((m) => `${m.text}:${m.status}`);
}

/** History's part of the `chat` slice. */
describe('chat reducer: history', () => {
  it('orders messages by server time, merging history, live messages and catch-up without duplicates', () => {
    const state = reduce(
      HistoryApiActions.historyLoaded({
        room: 'general',
        messages: [message('a', '2026-01-01T10:00:01Z'), message('b', '2026-01-01T10:00:02Z')],
        hasMore: true,
      }),
      ChatHubActions.messageReceived({ message: message('d', '2026-01-01T10:00:04Z') }),
      HistoryApiActions.caughtUp({
        room: 'general',
        messages: [message('c', '2026-01-01T10:00:03Z'), message('d', '2026-01-01T10:00:04Z')],
      }),
      HistoryApiActions.olderLoaded({
        room: 'general',
        messages: [message('0', '2026-01-01T09:00:00Z')],
        hasMore: false,
      }),
    );
    expect(texts(state)).toEqual(['text 0:sent', 'text a:sent', 'text b:sent', 'text c:sent', 'text d:sent']);
    expect(state.history['general']).toEqual({ loaded: true, hasMore: false, loadingOlder: false, error: null });
  });

  it('asks for an older page only once at a time, and only when there is one', () => {
    const loaded = reduce(
      HistoryApiActions.historyLoaded({
        room: 'general',
        messages: [message('a', '2026-01-01T10:00:01Z')],
        hasMore: true,
      }),
    );
    const asking = reducer(loaded, ChatPageActions.olderMessagesRequested({ room: 'general' }));
    expect(asking.history['general']?.loadingOlder).toBe(true);
    expect(reducer(asking, ChatPageActions.olderMessagesRequested({ room: 'general' }))).toBe(asking);
    const none = reduce(HistoryApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false }));
    expect(reducer(none, ChatPageActions.olderMessagesRequested({ room: 'general' }))).toBe(none);
  });

  it('marks as new what arrives in a room that was empty when it was loaded', () => {
    let state = reduce(HistoryApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false }));
    state = reducer(state, ChatPageActions.roomSelected({ room: 'team' }));
    state = reducer(state, ChatHubActions.messageReceived({ message: message('b', '2026-01-01T10:00:02Z') }));
    state = reducer(state, ChatPageActions.roomSelected({ room: 'general' }));
    // '' sorts before every time: the divider goes before the first message from someone else.
    expect(state.readMarker).toBe('');
  });
});

import { ChatHubActions } from '../core/hub.actions';
import type { Message } from '../../../contract';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { BrowserActions, ChatPageActions, MessagesApiActions, RateLimitActions } from './chat.actions';
import { chatFeature, initialChatState, type ChatState } from './chat.feature';
import type { ChatMessage } from './chat-message';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };
const reducer = chatFeature.reducer;

function message(id: string, sentAt: string, overrides: Partial<Message> = {}): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ben, sentAt, ...overrides };
}

function pending(id: string, text = 'hello'): ChatMessage {
  return { id, room: 'general', text, sender: ann, sentAt: '2026-01-01T10:00:05.000Z', status: 'pending' };
}

function reduce(...actions: Parameters<typeof reducer>[1][]): ChatState {
  return actions.reduce((state, action) => reducer(state, action), initialChatState);
}

function texts(state: ChatState): string[] {
  return chatFeature.selectActiveMessages
    .projector(chatFeature.selectAllMessages.projector(state), state.activeRoom)
    .map((m) => `${m.text}:${m.status}`);
}

function unread(state: ChatState, me = ann): Readonly<Record<string, number>> {
  return chatFeature.selectUnreadByRoom.projector(
    chatFeature.selectAllMessages.projector(state),
    state.lastRead,
    state.activeRoom,
    state.visible,
    me,
  );
}

describe('chat reducer', () => {
  const server = (m: ChatMessage): Message => ({ ...m, sentAt: '2026-01-01T10:00:06.000Z', text: m.text.trim() });

  it('shows a sent message at once as pending, then exactly once as sent when the POST answers', () => {
    const draft = pending('m1');
    const afterSend = reduce(ChatPageActions.messageSent({ message: draft }));
    expect(texts(afterSend)).toEqual(['hello:pending']);
    const afterAck = reducer(afterSend, MessagesApiActions.sendSucceeded({ message: server(draft) }));
    expect(texts(afterAck)).toEqual(['hello:sent']);
  });

  it('keeps one copy whether the hub echo arrives before or after the POST response', () => {
    const draft = pending('m1');
    const echoFirst = reduce(
      ChatPageActions.messageSent({ message: draft }),
      ChatHubActions.messageReceived({ message: server(draft) }),
      MessagesApiActions.sendSucceeded({ message: server(draft) }),
    );
    const postFirst = reduce(
      ChatPageActions.messageSent({ message: draft }),
      MessagesApiActions.sendSucceeded({ message: server(draft) }),
      ChatHubActions.messageReceived({ message: server(draft) }),
    );
    expect(texts(echoFirst)).toEqual(['hello:sent']);
    expect(texts(postFirst)).toEqual(['hello:sent']);
  });

  it('does not mark a message failed once the server has confirmed it', () => {
    const draft = pending('m1');
    const state = reduce(
      ChatPageActions.messageSent({ message: draft }),
      ChatHubActions.messageReceived({ message: server(draft) }),
      MessagesApiActions.sendFailed({ id: 'm1', room: 'general', error: 'boom', retryable: true }),
    );
    expect(texts(state)).toEqual(['hello:sent']);
  });

  it('orders messages by server time, merging history, live messages and catch-up without duplicates', () => {
    const state = reduce(
      MessagesApiActions.historyLoaded({
        room: 'general',
        messages: [message('a', '2026-01-01T10:00:01Z'), message('b', '2026-01-01T10:00:02Z')],
        hasMore: true,
      }),
      ChatHubActions.messageReceived({ message: message('d', '2026-01-01T10:00:04Z') }),
      MessagesApiActions.caughtUp({
        room: 'general',
        messages: [message('c', '2026-01-01T10:00:03Z'), message('d', '2026-01-01T10:00:04Z')],
      }),
      MessagesApiActions.olderLoaded({
        room: 'general',
        messages: [message('0', '2026-01-01T09:00:00Z')],
        hasMore: false,
      }),
    );
    expect(texts(state)).toEqual(['text 0:sent', 'text a:sent', 'text b:sent', 'text c:sent', 'text d:sent']);
    expect(state.history['general']).toEqual({ loaded: true, hasMore: false, loadingOlder: false, error: null });
  });

  it('counts unread messages from others in rooms not on screen, and clears them when the room is opened', () => {
    let state = reduce(
      ChatHubActions.messageReceived({ message: message('x1', '2026-01-01T10:00:01Z', { room: 'team' }) }),
      ChatHubActions.messageReceived({ message: message('x2', '2026-01-01T10:00:02Z', { room: 'team' }) }),
      ChatHubActions.messageReceived({
        message: message('own', '2026-01-01T10:00:03Z', { room: 'team', sender: ann }),
      }),
      ChatHubActions.messageReceived({ message: message('g1', '2026-01-01T10:00:03Z') }),
    );
    expect(unread(state)).toEqual({ team: 2 });
    state = reducer(state, ChatPageActions.roomSelected({ room: 'team' }));
    expect(unread(state)).toEqual({});
    expect(state.readMarker).toBeNull();
    state = reducer(state, ChatPageActions.roomSelected({ room: 'general' }));
    state = reducer(
      state,
      ChatHubActions.messageReceived({ message: message('x3', '2026-01-01T10:00:09Z', { room: 'team' }) }),
    );
    expect(unread(state)).toEqual({ team: 1 });
    state = reducer(state, ChatPageActions.roomSelected({ room: 'team' }));
    // The divider goes before x3: that is where reading stopped.
    expect(state.readMarker).toBe('2026-01-01T10:00:03Z');
  });

  it('counts messages in the open room while the tab is hidden', () => {
    let state = reduce(BrowserActions.visibilityChanged({ visible: false }));
    state = reducer(state, ChatHubActions.messageReceived({ message: message('g1', '2026-01-01T10:00:01Z') }));
    expect(unread(state)).toEqual({ general: 1 });
    state = reducer(state, BrowserActions.visibilityChanged({ visible: true }));
    expect(unread(state)).toEqual({});
  });

  it('shows a refusal where the user acted and keeps a rate-limit notice until the wait is over', () => {
    const draft = pending('m1');
    let state = reduce(
      ChatPageActions.messageSent({ message: draft }),
      MessagesApiActions.sendFailed({
        id: 'm1',
        room: 'general',
        error: "You're sending too fast — try again in 3 s",
        retryable: false,
        retryAfterSeconds: 3,
      }),
    );
    expect(texts(state)).toEqual(['hello:failed']);
    const shown = () => chatFeature.selectActiveComposerError.projector(state.composerError, state.activeRoom);
    expect(shown()).toBe("You're sending too fast — try again in 3 s");
    state = reducer(state, ChatPageActions.messageSent({ message: pending('m2', 'again') }));
    expect(shown()).toMatch(/try again in 3 s/);
    state = reducer(state, RateLimitActions.waitOver({ room: 'general' }));
    expect(shown()).toBeNull();
  });

  it('switches to a room the user created, joined or opened as a direct message, and back to general on leaving', () => {
    const room = { name: 'team', kind: 'room' as const, title: 'team', joined: true };
    let state = reduce(RoomsApiActions.roomCreated({ room }));
    expect(state.activeRoom).toBe('team');
    state = reducer(state, RoomsApiActions.roomLeft({ room: 'team' }));
    expect(state.activeRoom).toBe('general');
  });

  it('asks for an older page only once at a time, and only when there is one', () => {
    const loaded = reduce(
      MessagesApiActions.historyLoaded({
        room: 'general',
        messages: [message('a', '2026-01-01T10:00:01Z')],
        hasMore: true,
      }),
    );
    const asking = reducer(loaded, ChatPageActions.olderMessagesRequested({ room: 'general' }));
    expect(asking.history['general']?.loadingOlder).toBe(true);
    expect(reducer(asking, ChatPageActions.olderMessagesRequested({ room: 'general' }))).toBe(asking);
    const none = reduce(MessagesApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false }));
    expect(reducer(none, ChatPageActions.olderMessagesRequested({ room: 'general' }))).toBe(none);
  });

  it('marks as new what arrives in a room that was empty when it was loaded', () => {
    let state = reduce(MessagesApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false }));
    state = reducer(state, ChatPageActions.roomSelected({ room: 'team' }));
    state = reducer(state, ChatHubActions.messageReceived({ message: message('b', '2026-01-01T10:00:02Z') }));
    state = reducer(state, ChatPageActions.roomSelected({ room: 'general' }));
    // '' sorts before every time: the divider goes before the first message from someone else.
    expect(state.readMarker).toBe('');
  });
});

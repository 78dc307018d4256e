import type { Message } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { type ChatState, initialChatState } from '../messages/chat.state';
import type { ChatMessage } from '../messages/chat-message';
import { ChatPageActions } from '../messages/chat-page.actions';
import { chatReducer } from '../shell/chat.reducer';
import { MessagesApiActions, RateLimitActions } from './outbox.actions';
import { selectActiveComposerError, selectConnectionStatus } from './outbox.selectors';

const ann = { id: 'u-ann', name: 'Ann' };
const reducer = chatReducer;

function pending(id: string, text = 'hello'): ChatMessage {
  return { id, room: 'general', text, sender: ann, sentAt: '2026-01-01T10:00:05.000Z', status: 'pending' };
}

function reduce(...actions: Parameters<typeof reducer>[1][]): ChatState {
  return actions.reduce((state, action) => reducer(state, action), initialChatState);
}

function texts(state: ChatState): string[] {
  return chatSelectors.selectActiveMessages
    .projector(chatSelectors.selectAllMessages.projector(state), state.activeRoom)
    .map((m) => `${m.text}:${m.status}`);
}

/** The outbox's part of the `chat` slice. */
describe('chat reducer: outbox', () => {
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
    const shown = () =>
      selectActiveComposerError.projector(state.composerError, state.activeRoom, [], false, 'connected');
    expect(shown()).toBe("You're sending too fast — try again in 3 s");
    state = reducer(state, ChatPageActions.messageSent({ message: pending('m2', 'again') }));
    expect(shown()).toMatch(/try again in 3 s/);
    state = reducer(state, RateLimitActions.waitOver({ room: 'general' }));
    expect(shown()).toBeNull();
  });

  it('no server at all is the connection state: the header stops saying connected while the composer says so', () => {
    const draft = pending('m1');
    let state = reduce(
      ChatPageActions.messageSent({ message: draft }),
      MessagesApiActions.sendDelayed({ id: 'm1', room: 'general', error: 'x', unreachable: true }),
    );
    const outbox = () => Object.values(state.entities).filter((message) => message?.status !== 'sent');
    const status = () => selectConnectionStatus.projector('connected', true, state.serverUnreachable);
    const shown = () =>
      selectActiveComposerError.projector(
        state.composerError,
        state.activeRoom,
        outbox() as never,
        state.serverUnreachable,
        'connected',
      );
    expect(status()).toBe('reconnecting');
    expect(shown()).toBe("Can't reach the server — your messages will go out when it's back");
    state = reducer(state, ChatHubActions.stateChanged({ state: 'connected' }));
    expect(status()).toBe('connected');
    expect(shown()).toBeNull();
    // Offline (the connection dropped) with a message waiting: both say so.
    expect(selectActiveComposerError.projector(null, 'general', outbox() as never, false, 'disconnected')).toMatch(
      /Can't reach/,
    );
  });
});

import type { Message } from '../../../contract';
import { BrowserActions } from '../core/browser.actions';
import { ChatHubActions } from '../core/hub.actions';
import { type ChatState, initialChatState } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { RoomAccessActions, RoomsApiActions } from '../rooms/rooms.actions';
import { chatReducer } from './chat.reducer';

const ben = { id: 'u-ben', name: 'Ben' };
const reducer = chatReducer;

function message(id: string, sentAt: string, overrides: Partial<Message> = {}): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ben, sentAt, ...overrides };
}

function reduce(...actions: Parameters<typeof reducer>[1][]): ChatState {
  return actions.reduce((state, action) => reducer(state, action), initialChatState);
}

describe('chat reducer', () => {
  it('puts the "new messages" divider where reading stopped when a room is opened again', () => {
    let state = reduce(
      ChatHubActions.messageReceived({ message: message('x1', '2026-01-01T10:00:01Z', { room: 'team' }) }),
      ChatHubActions.messageReceived({ message: message('g1', '2026-01-01T10:00:03Z') }),
    );
    state = reducer(state, ChatPageActions.roomSelected({ room: 'team' }));
    expect(state.readMarker).toBeNull();
    state = reducer(state, ChatPageActions.roomSelected({ room: 'general' }));
    state = reducer(
      state,
      ChatHubActions.messageReceived({ message: message('x3', '2026-01-01T10:00:09Z', { room: 'team' }) }),
    );
    state = reducer(state, ChatPageActions.roomSelected({ room: 'team' }));
    // The divider goes before x3: team was read up to x1 when the user left it.
    expect(state.readMarker).toBe('2026-01-01T10:00:01Z');
  });

  it('puts the divider where reading stopped when the user comes back to a hidden tab', () => {
    let state = reduce(ChatHubActions.messageReceived({ message: message('g1', '2026-01-01T10:00:01Z') }));
    state = reducer(state, BrowserActions.visibilityChanged({ visible: false }));
    state = reducer(state, ChatHubActions.messageReceived({ message: message('g2', '2026-01-01T10:00:02Z') }));
    state = reducer(state, BrowserActions.visibilityChanged({ visible: true }));
    expect(state.readMarker).toBe('2026-01-01T10:00:01Z');
  });

  it('switches to a room the user created, joined or opened as a direct message, and back to general on leaving', () => {
    const room = { name: 'team', kind: 'room' as const, title: 'team', joined: true };
    let state = reduce(RoomsApiActions.roomCreated({ room }));
    expect(state.activeRoom).toBe('team');
    state = reducer(state, RoomsApiActions.roomLeft({ room: 'team' }));
    expect(state.activeRoom).toBe('general');
  });
});

describe('chat reducer: losing a room', () => {
  it('goes to general if the lost room was open, and forgets its messages and history', () => {
    let state = reduce(
      ChatHubActions.messageReceived({ message: message('s1', '2026-01-01T10:00:01Z', { room: 'secret' }) }),
      ChatHubActions.messageReceived({ message: message('g1', '2026-01-01T10:00:02Z') }),
      ChatPageActions.roomSelected({ room: 'secret' }),
    );
    state = reducer(
      state,
      RoomAccessActions.roomLost({ room: 'secret', title: 'Secret', reason: 'removed', open: true }),
    );
    expect(state.activeRoom).toBe('general');
    expect(state.ids).toEqual(['g1']);
    expect(state.history['secret']).toBeUndefined();
    expect(state.lastRead['secret']).toBeUndefined();
    // Another room lost while general is open: general stays.
    state = reducer(
      state,
      RoomAccessActions.roomLost({ room: 'other', title: 'Other', reason: 'banned', open: false }),
    );
    expect(state.activeRoom).toBe('general');
  });
});

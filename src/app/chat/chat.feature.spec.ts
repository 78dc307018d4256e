import type { Message } from '../../../contract';
import { BrowserActions } from '../core/browser.actions';
import { ChatHubActions } from '../core/hub.actions';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { chatFeature, type ChatState, initialChatState } from './chat.feature';
import { ChatPageActions } from './chat-page.actions';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };
const reducer = chatFeature.reducer;

function message(id: string, sentAt: string, overrides: Partial<Message> = {}): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ben, sentAt, ...overrides };
}

function reduce(...actions: Parameters<typeof reducer>[1][]): ChatState {
  return actions.reduce((state, action) => reducer(state, action), initialChatState);
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

  it('switches to a room the user created, joined or opened as a direct message, and back to general on leaving', () => {
    const room = { name: 'team', kind: 'room' as const, title: 'team', joined: true };
    let state = reduce(RoomsApiActions.roomCreated({ room }));
    expect(state.activeRoom).toBe('team');
    state = reducer(state, RoomsApiActions.roomLeft({ room: 'team' }));
    expect(state.activeRoom).toBe('general');
  });
});

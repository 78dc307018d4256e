import type { Message } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { type ChatState, initialChatState } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { completeUpTo, emptyHistory, seen } from '../messages/room-history';
import { chatReducer } from '../shell/chat.reducer';
import { HistoryApiActions } from './history.actions';
import { selectCatchUpCursors } from './history.selectors';

const ben = { id: 'u-ben', name: 'Ben' };
const reducer = chatReducer;

function message(id: string, sentAt: string, overrides: Partial<Message> = {}): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ben, sentAt, ...overrides };
}

function reduce(...actions: Parameters<typeof reducer>[1][]): ChatState {
  return actions.reduce((state, action) => reducer(state, action), initialChatState);
}

function texts(state: ChatState): string[] {
  return chatSelectors.selectActiveMessages
    .projector(chatSelectors.selectAllMessages.projector(state), state.activeRoom)
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
        cursor: 2,
      }),
      ChatHubActions.messageReceived({ message: message('d', '2026-01-01T10:00:04Z') }),
      HistoryApiActions.caughtUp({
        room: 'general',
        messages: [message('c', '2026-01-01T10:00:03Z'), message('d', '2026-01-01T10:00:04Z')],
        cursor: 4,
      }),
      HistoryApiActions.olderLoaded({
        room: 'general',
        messages: [message('0', '2026-01-01T09:00:00Z')],
        hasMore: false,
      }),
    );
    expect(texts(state)).toEqual(['text 0:sent', 'text a:sent', 'text b:sent', 'text c:sent', 'text d:sent']);
    expect(state.history['general']).toEqual({
      loaded: true,
      hasMore: false,
      loadingOlder: false,
      error: null,
      refusal: null,
      cursor: 4,
      ahead: [],
    });
  });

  it('asks for an older page only once at a time, and only when there is one', () => {
    const loaded = reduce(
      HistoryApiActions.historyLoaded({
        room: 'general',
        messages: [message('a', '2026-01-01T10:00:01Z')],
        hasMore: true,
        cursor: 1,
      }),
    );
    const asking = reducer(loaded, ChatPageActions.olderMessagesRequested({ room: 'general' }));
    expect(asking.history['general']?.loadingOlder).toBe(true);
    expect(reducer(asking, ChatPageActions.olderMessagesRequested({ room: 'general' }))).toBe(asking);
    const none = reduce(HistoryApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false, cursor: 0 }));
    expect(reducer(none, ChatPageActions.olderMessagesRequested({ room: 'general' }))).toBe(none);
  });

  it('marks as new what arrives in a room that was empty when it was loaded', () => {
    let state = reduce(HistoryApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false, cursor: 0 }));
    state = reducer(state, ChatPageActions.roomSelected({ room: 'team' }));
    state = reducer(state, ChatHubActions.messageReceived({ message: message('b', '2026-01-01T10:00:02Z') }));
    state = reducer(state, ChatPageActions.roomSelected({ room: 'general' }));
    // '' sorts before every time: the divider goes before the first message from someone else.
    expect(state.readMarker).toBe('');
  });

  it('keeps the newest copy of each message by change number, whatever order the copies arrive in', () => {
    const first = message('a', '2026-01-01T10:00:01Z', { seq: 1 });
    const edited = { ...first, text: 'second edit', editedAt: '2026-01-01T10:05:00Z', seq: 5 };
    const olderEdit = { ...first, text: 'first edit', editedAt: '2026-01-01T10:04:00Z', seq: 3 };
    const state = reduce(
      HistoryApiActions.historyLoaded({ room: 'general', messages: [first], hasMore: false, cursor: 1 }),
      ChatHubActions.messageChanged({ message: edited }),
      ChatHubActions.messageChanged({ message: olderEdit }),
      // A retried send re-broadcasts the message as it was first stored.
      ChatHubActions.messageReceived({ message: first }),
      HistoryApiActions.caughtUp({ room: 'general', messages: [olderEdit], cursor: 5 }),
    );
    expect(state.entities['a']).toMatchObject({ text: 'second edit', editedAt: '2026-01-01T10:05:00Z', seq: 5 });
  });

  it('replaces a message whole: a deletion takes its text, reactions and edit mark away', () => {
    const reacted = message('a', '2026-01-01T10:00:01Z', {
      seq: 2,
      editedAt: '2026-01-01T10:01:00Z',
      reactions: [{ emoji: '👍', count: 1, people: [ben], mine: false }],
    });
    const state = reduce(
      HistoryApiActions.historyLoaded({ room: 'general', messages: [reacted], hasMore: false, cursor: 2 }),
      ChatHubActions.messageChanged({
        message: message('a', '2026-01-01T10:00:01Z', { text: '', deleted: true, seq: 3 }),
      }),
    );
    expect(state.entities['a']).toEqual({
      ...message('a', '2026-01-01T10:00:01Z'),
      text: '',
      deleted: true,
      seq: 3,
      status: 'sent',
    });
  });

  it('leaves changes to messages older than the loaded history to the older pages, so paging back has no hole', () => {
    const loaded = reduce(
      HistoryApiActions.historyLoaded({
        room: 'general',
        messages: [message('b', '2026-01-01T10:00:02Z', { seq: 20 })],
        hasMore: true,
        cursor: 20,
      }),
    );
    const state = reducer(
      loaded,
      HistoryApiActions.caughtUp({
        room: 'general',
        messages: [
          message('old', '2026-01-01T09:00:00Z', { seq: 21, text: 'edited long ago' }),
          message('new', '2026-01-01T10:00:03Z', { seq: 22 }),
        ],
        cursor: 22,
      }),
    );
    expect(state.ids).toEqual(['b', 'new']);
    expect(state.history['general']?.cursor).toBe(22);
    // All history loaded: nothing is older than what is held, so every change belongs.
    const all = reducer(
      reduce(HistoryApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false, cursor: 0 })),
      ChatHubActions.messageChanged({ message: message('old', '2026-01-01T09:00:00Z', { seq: 1 }) }),
    );
    expect(all.ids).toEqual(['old']);
  });

  it('moves the catch-up cursor through change numbers without a gap, from pages, events and answers', () => {
    let state = reduce(
      HistoryApiActions.historyLoaded({
        room: 'general',
        messages: [message('a', '2026-01-01T10:00:01Z', { seq: 5 })],
        hasMore: true,
        cursor: 5,
      }),
      // Change 6 was broadcast before the connection opened: 7 and 8 arrive, the cursor waits at 5.
      ChatHubActions.messageReceived({ message: message('c', '2026-01-01T10:00:07Z', { seq: 7 }) }),
      ChatHubActions.messageChanged({ message: message('a', '2026-01-01T10:00:01Z', { seq: 8 }) }),
    );
    expect(state.history['general']).toMatchObject({ cursor: 5, ahead: [7, 8] });
    state = reducer(
      state,
      HistoryApiActions.caughtUp({
        room: 'general',
        messages: [message('b', '2026-01-01T10:00:06Z', { seq: 6 })],
        cursor: 6,
      }),
    );
    expect(state.history['general']).toMatchObject({ cursor: 8, ahead: [] });
    expect(state.ids).toEqual(['a', 'b', 'c']);
  });

  it('catches up a room never opened from just before the oldest change it holds', () => {
    const state = reduce(
      HistoryApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false, cursor: 3 }),
      ChatHubActions.messageReceived({ message: message('t1', '2026-01-01T10:00:01Z', { room: 'team', seq: 41 }) }),
      ChatHubActions.messageReceived({ message: message('t2', '2026-01-01T10:00:02Z', { room: 'team', seq: 42 }) }),
    );
    expect(selectCatchUpCursors.projector(state.history, chatSelectors.selectAllMessages.projector(state))).toEqual({
      general: 3,
      team: 40,
    });
  });

  it('finds a quoted message already loaded at once, and says when paging back found it or not', () => {
    const loaded = reduce(
      HistoryApiActions.historyLoaded({
        room: 'general',
        messages: [message('a', '2026-01-01T10:00:01Z')],
        hasMore: true,
        cursor: 1,
      }),
    );
    expect(reducer(loaded, ChatPageActions.quotedMessageRequested({ room: 'general', id: 'a' })).seek).toEqual({
      room: 'general',
      id: 'a',
      status: 'found',
    });
    let state = reducer(loaded, ChatPageActions.quotedMessageRequested({ room: 'general', id: 'q' }));
    expect(state.seek?.status).toBe('loading');
    state = reducer(state, HistoryApiActions.quotedMessageMissing({ room: 'general', id: 'q' }));
    expect(state.seek?.status).toBe('missing');
    expect(reducer(state, ChatPageActions.roomSelected({ room: 'team' })).seek).toBeNull();
  });
});

describe('room change numbers', () => {
  it('counts nothing before the first page, and never moves back', () => {
    expect(seen(emptyHistory, [4])).toBe(emptyHistory);
    const at = completeUpTo(emptyHistory, 10);
    expect(at.cursor).toBe(10);
    expect(completeUpTo(at, 7)).toBe(at);
    expect(seen(at, [9, 10])).toBe(at);
    expect(seen(at, [12, 11])).toMatchObject({ cursor: 12, ahead: [] });
    expect(completeUpTo(seen(at, [15, 13]), 13)).toMatchObject({ cursor: 13, ahead: [15] });
  });
});

describe('chat reducer: a room the server would not show', () => {
  it('tells "not a member" (403: offered to join) from "no such room" (404), and forgets both once the history loads', () => {
    const state = reduce(
      HistoryApiActions.historyFailed({ room: 'art', error: 'You are not a member of art', status: 403 }),
      HistoryApiActions.historyFailed({ room: 'nope', error: 'No room nope', status: 404 }),
      HistoryApiActions.historyFailed({ room: 'zoo', error: "Can't reach the server", status: 0 }),
    );
    expect([state.history['art']?.refusal, state.history['nope']?.refusal, state.history['zoo']?.refusal]).toEqual([
      'not-member',
      'not-found',
      null,
    ]);
    const loaded = reducer(
      state,
      HistoryApiActions.historyLoaded({ room: 'nope', messages: [], hasMore: false, cursor: 0 }),
    );
    expect(loaded.history['nope']).toMatchObject({ refusal: null, error: null, loaded: true });
  });
});

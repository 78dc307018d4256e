import type { Message, ReactionChangedEvent } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { HistoryApiActions } from '../history/history.actions';
import { type ChatState, initialChatState } from '../messages/chat.state';
import { chatReducer } from '../shell/chat.reducer';
import { MessageActionsApiActions, MessageMenuActions } from './message-actions.actions';
import { toggleReaction } from './reactions';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };
const reducer = chatReducer;

function message(id: string, overrides: Partial<Message> = {}): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ann, sentAt: '2026-01-01T10:00:01Z', seq: 1, ...overrides };
}

function loaded(...messages: Message[]): ChatState {
  return reducer(
    initialChatState,
    HistoryApiActions.historyLoaded({ room: 'general', messages, hasMore: false, cursor: 1 }),
  );
}

const held = (state: ChatState, id = 'a') => state.entities[id]!;

describe('chat reducer: message actions', () => {
  it('shows an edit at once, and takes the server copy when it answers', () => {
    let state = loaded(message('a'));
    state = reducer(
      state,
      MessageMenuActions.editSaved({
        message: held(state),
        text: 'new',
        mentions: [],
        mentionsRoom: false,
        revision: 1,
        editedAt: '2026-01-01T10:01:00Z',
      }),
    );
    expect(held(state)).toMatchObject({ text: 'new', editedAt: '2026-01-01T10:01:00Z', seq: 1 });
    state = reducer(
      state,
      MessageActionsApiActions.changeSaved({ message: message('a', { text: 'new', editedAt: 'server', seq: 2 }) }),
    );
    expect(held(state)).toMatchObject({ text: 'new', editedAt: 'server', seq: 2 });
  });

  it('shows whom an edit mentions at once: new people and @room, and nobody it no longer names', () => {
    let state = loaded(message('a', { room: 'team', text: '<@u-ben> hi', mentions: [ben.id] }));
    const before = held(state);
    const edit = (text: string, mentions: readonly string[], mentionsRoom: boolean, revision: number) =>
      MessageMenuActions.editSaved({ message: held(state), text, mentions, mentionsRoom, revision, editedAt: 't' });
    state = reducer(state, edit('<@u-ben> <@u-cat> @room hi', [ben.id, 'u-cat'], true, 1));
    expect(held(state)).toMatchObject({
      text: '<@u-ben> <@u-cat> @room hi',
      mentions: [ben.id, 'u-cat'],
      mentionsRoom: true,
    });
    state = reducer(state, edit('hi', [], false, 2));
    const { mentions: _mentions, ...unmentioned } = before;
    expect(held(state)).toEqual({ ...unmentioned, text: 'hi', editedAt: 't' });
    // Refused: back to whom it mentioned before.
    state = reducer(state, MessageActionsApiActions.changeFailed({ previous: before, error: 'No' }));
    expect(held(state)).toEqual(before);
  });

  it('rolls a refused change back to the copy held before, and says why on the message', () => {
    let state = loaded(message('a'));
    const before = held(state);
    state = reducer(
      state,
      MessageMenuActions.editSaved({
        message: before,
        text: 'new',
        mentions: [],
        mentionsRoom: false,
        revision: 1,
        editedAt: '2026-01-01T10:01:00Z',
      }),
    );
    state = reducer(state, MessageActionsApiActions.changeFailed({ previous: before, error: 'Too fast' }));
    expect(held(state)).toEqual(before);
    expect(state.changeError).toEqual({ id: 'a', message: 'Too fast' });
    state = reducer(state, MessageMenuActions.errorDismissed({ id: 'a' }));
    expect(state.changeError).toBeNull();
  });

  it('does not roll back over a newer copy that arrived meanwhile', () => {
    let state = loaded(message('a'));
    const before = held(state);
    state = reducer(state, MessageMenuActions.reactionToggled({ message: before, emoji: '👍', add: true, user: ann }));
    state = reducer(state, ChatHubActions.messageChanged({ message: message('a', { text: 'edited', seq: 4 }) }));
    state = reducer(state, MessageActionsApiActions.changeFailed({ previous: before, error: 'Nope' }));
    expect(held(state)).toMatchObject({ text: 'edited', seq: 4 });
  });

  it('deletes the author’s own message at once, but waits for the server to moderate someone else’s', () => {
    const state = loaded(
      message('a', { reactions: [{ emoji: '👍', count: 1, people: [ben], mine: false }], editedAt: 'x' }),
      message('b', { sender: ben }),
    );
    const own = reducer(state, MessageMenuActions.deleteConfirmed({ message: held(state), by: ann }));
    expect(held(own)).toEqual({ ...message('a'), text: '', deleted: true, status: 'sent' });
    const other = reducer(state, MessageMenuActions.deleteConfirmed({ message: held(state, 'b'), by: ann }));
    expect(held(other, 'b')).toEqual(held(state, 'b'));
  });

  it('toggles the user’s own reaction at once, and shows no more distinct reactions than allowed', () => {
    let state = loaded(message('a', { reactions: [{ emoji: '👍', count: 1, people: [ben], mine: false }] }));
    state = reducer(
      state,
      MessageMenuActions.reactionToggled({ message: held(state), emoji: '👍', add: true, user: ann }),
    );
    expect(held(state).reactions).toEqual([{ emoji: '👍', count: 2, people: [ben, ann], mine: true }]);
    const full = loaded(
      message('a', {
        reactions: Array.from({ length: 20 }, (_, i) => ({ emoji: String(i), count: 1, people: [ben], mine: false })),
      }),
    );
    expect(
      reducer(full, MessageMenuActions.reactionToggled({ message: held(full), emoji: '🎉', add: true, user: ann })),
    ).toEqual(full);
  });
});

describe('toggleReaction', () => {
  it('adds, removes, and changes nothing on a repeat', () => {
    const one = toggleReaction([], '👍', ann, true);
    expect(one).toEqual([{ emoji: '👍', count: 1, people: [ann], mine: true }]);
    expect(toggleReaction(one, '👍', ann, true)).toBe(one);
    expect(toggleReaction(one, '👍', ann, false)).toEqual([]);
  });
  it('counts the viewer in a crowd without naming more than the server would', () => {
    const people = [ben, { id: 'u-cy', name: 'Cy' }, { id: 'u-di', name: 'Di' }];
    const crowd = [{ emoji: '👍', count: 41, people, mine: false }];
    const mine = toggleReaction(crowd, '👍', ann, true);
    expect(mine).toEqual([{ emoji: '👍', count: 42, people, mine: true }]);
    expect(toggleReaction(mine, '👍', ann, false)).toEqual(crowd);
  });
});

describe('chat reducer: reactionChanged deltas', () => {
  const change = (over: Partial<ReactionChangedEvent> = {}): ReactionChangedEvent => ({
    room: 'general',
    id: 'a',
    emoji: '👍',
    user: ben,
    add: true,
    count: 1,
    people: [ben],
    seq: 2,
    previousSeq: 1,
    ...over,
  });
  const delta = (state: ChatState, over: Partial<ReactionChangedEvent> = {}, byViewer = false) =>
    reducer(state, ChatHubActions.reactionChanged({ change: change(over), byViewer }));

  it('sets the emoji’s count and people; mine only when the change is the viewer’s', () => {
    let state = delta(loaded(message('a')));
    expect(held(state)).toMatchObject({ seq: 2, reactions: [{ emoji: '👍', count: 1, people: [ben], mine: false }] });
    expect(state.history['general']?.cursor).toBe(2);
    state = delta(state, { user: ann, count: 2, people: [ben, ann], seq: 3, previousSeq: 2 }, true);
    expect(held(state).reactions).toEqual([{ emoji: '👍', count: 2, people: [ben, ann], mine: true }]);
    // Another person's change keeps the viewer's own.
    state = delta(state, { emoji: '🎉', count: 1, seq: 4, previousSeq: 3 });
    state = delta(state, { add: false, count: 1, people: [ann], seq: 5, previousSeq: 4 });
    expect(held(state).reactions).toEqual([
      { emoji: '👍', count: 1, people: [ann], mine: true },
      { emoji: '🎉', count: 1, people: [ben], mine: false },
    ]);
    state = delta(state, { emoji: '🎉', add: false, count: 0, people: [], seq: 6, previousSeq: 5 });
    expect(held(state).reactions).toEqual([{ emoji: '👍', count: 1, people: [ann], mine: true }]);
    expect(held(state).behind).toBeUndefined();
  });

  it('ignores a delta older than the copy held, and keeps mine through a broadcast copy that does not say it', () => {
    let state = delta(loaded(message('a')), { user: ann, people: [ann], seq: 3, previousSeq: 2 }, true);
    state = delta(state, { count: 7, seq: 2, previousSeq: 1 });
    expect(held(state).reactions).toEqual([{ emoji: '👍', count: 1, people: [ann], mine: true }]);
    state = reducer(
      state,
      ChatHubActions.messageChanged({
        message: message('a', { text: 'edited', seq: 4, reactions: [{ emoji: '👍', count: 1, people: [ann] }] }),
      }),
    );
    expect(held(state)).toMatchObject({
      text: 'edited',
      reactions: [{ emoji: '👍', count: 1, people: [ann], mine: true }],
    });
  });

  it('marks a message behind when a change of it was missed, and takes the next page’s copy at the same seq', () => {
    let state = delta(loaded(message('a')), { seq: 5, previousSeq: 4 });
    expect(held(state)).toMatchObject({ seq: 5, behind: true, reactions: [{ emoji: '👍', count: 1 }] });
    expect(state.history['general']?.cursor).toBe(1);
    const caughtUp = message('a', {
      text: 'edited while away',
      seq: 5,
      reactions: [{ emoji: '👍', count: 1, people: [ben], mine: false }],
    });
    state = reducer(state, HistoryApiActions.caughtUp({ room: 'general', messages: [caughtUp], cursor: 5 }));
    expect(held(state)).toMatchObject({ text: 'edited while away', seq: 5 });
    expect(held(state).behind).toBeUndefined();
  });
});

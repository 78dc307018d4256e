import type { Message } from '../../../contract';
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
      message('a', { reactions: [{ emoji: '👍', users: [ben] }], editedAt: 'x' }),
      message('b', { sender: ben }),
    );
    const own = reducer(state, MessageMenuActions.deleteConfirmed({ message: held(state), by: ann }));
    expect(held(own)).toEqual({ ...message('a'), text: '', deleted: true, status: 'sent' });
    const other = reducer(state, MessageMenuActions.deleteConfirmed({ message: held(state, 'b'), by: ann }));
    expect(held(other, 'b')).toEqual(held(state, 'b'));
  });

  it('toggles the user’s own reaction at once, and shows no more distinct reactions than allowed', () => {
    let state = loaded(message('a', { reactions: [{ emoji: '👍', users: [ben] }] }));
    state = reducer(
      state,
      MessageMenuActions.reactionToggled({ message: held(state), emoji: '👍', add: true, user: ann }),
    );
    expect(held(state).reactions).toEqual([{ emoji: '👍', users: [ben, ann] }]);
    const full = loaded(
      message('a', { reactions: Array.from({ length: 20 }, (_, i) => ({ emoji: String(i), users: [ben] })) }),
    );
    expect(
      reducer(full, MessageMenuActions.reactionToggled({ message: held(full), emoji: '🎉', add: true, user: ann })),
    ).toEqual(full);
  });
});

describe('toggleReaction', () => {
  it('adds, removes, and changes nothing on a repeat', () => {
    const one = toggleReaction([], '👍', ann, true);
    expect(one).toEqual([{ emoji: '👍', users: [ann] }]);
    expect(toggleReaction(one, '👍', ann, true)).toBe(one);
    expect(toggleReaction(one, '👍', ann, false)).toEqual([]);
    expect(toggleReaction(one, '👍', ben, false)).toBe(one);
  });
});

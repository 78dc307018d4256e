import { MAX_REACTIONS_PER_MESSAGE } from '../../contract';
import { decideDelete, decideEdit, decideReaction, moderators } from './message-changes';
import type { StoredMessage } from './room-log';

const alice = { id: 'u-alice', name: 'Alice' };
const bob = { id: 'u-bob', name: 'Bob' };
const message: StoredMessage = {
  id: 'm1',
  room: 'r',
  text: 'helo',
  sender: alice,
  sentAt: '2026-01-01T00:00:00.000Z',
  first: 1,
  seq: 1,
};
const now = '2026-01-01T00:01:00.000Z';

describe('editing', () => {
  it('lets the author change the text and marks when', () => {
    expect(decideEdit(message, alice, { text: 'hello', revision: 5 }, now)).toEqual({
      state: { ...message, text: 'hello', editedAt: now, revision: 5 },
    });
  });
  it('refuses anyone else, and a deleted message', () => {
    expect(decideEdit(message, bob, { text: 'hacked', revision: 5 }, now)).toEqual({
      refused: { status: 403, message: 'Only the author can edit a message' },
    });
    expect(decideEdit({ ...message, deleted: true }, alice, { text: 'x', revision: 5 }, now)).toMatchObject({
      refused: { status: 409 },
    });
  });
  it('ignores an edit older than, or the same as, the one applied', () => {
    const edited = { ...message, text: 'newer', revision: 9 };
    expect(decideEdit(edited, alice, { text: 'older', revision: 8 }, now)).toEqual({ unchanged: true });
    expect(decideEdit(edited, alice, { text: 'newer again', revision: 9 }, now)).toEqual({ unchanged: true });
  });
});

describe('deleting', () => {
  it('lets the author or a moderator take a message back and drops its text and reactions', () => {
    const reacted = { ...message, reactions: { '👍': [bob] } };
    for (const [user, mayModerate] of [
      [alice, false],
      [bob, true],
    ] as const) {
      const decision = decideDelete(reacted, user, mayModerate);
      expect(decision).toEqual({ state: { ...message, text: '', deleted: true, deletedBy: user.id } });
    }
  });
  it('refuses anyone else and does nothing the second time', () => {
    expect(decideDelete(message, bob, false)).toMatchObject({ refused: { status: 403 } });
    expect(decideDelete({ ...message, deleted: true }, alice, false)).toEqual({ unchanged: true });
  });
});

describe('reacting', () => {
  it('adds and removes one person once per emoji', () => {
    const added = decideReaction(message, bob, { emoji: '👍', add: true });
    expect(added).toEqual({ state: { ...message, reactions: { '👍': [bob] } } });
    const withBob = { ...message, reactions: { '👍': [bob] } };
    expect(decideReaction(withBob, bob, { emoji: '👍', add: true })).toEqual({ unchanged: true });
    expect(decideReaction(withBob, bob, { emoji: '👍', add: false })).toEqual({ state: { ...message, reactions: {} } });
    expect(decideReaction(message, bob, { emoji: '👍', add: false })).toEqual({ unchanged: true });
  });
  it(`refuses a ${MAX_REACTIONS_PER_MESSAGE + 1}st different emoji but not one more person on an existing one`, () => {
    const full = Object.fromEntries(Array.from({ length: MAX_REACTIONS_PER_MESSAGE }, (_, i) => [`e${i}`, [alice]]));
    const crowded = { ...message, reactions: full };
    expect(decideReaction(crowded, bob, { emoji: '🎉', add: true })).toMatchObject({ refused: { status: 409 } });
    expect(decideReaction(crowded, bob, { emoji: 'e0', add: true })).toMatchObject({ state: {} });
  });
  it('refuses reactions on a deleted message', () => {
    expect(decideReaction({ ...message, deleted: true }, bob, { emoji: '👍', add: true })).toMatchObject({
      refused: { status: 409 },
    });
  });
});

it('reads moderators from the app setting', () => {
  expect([...moderators({ HUBBUB_MODERATORS: ' u1, u2,,' })]).toEqual(['u1', 'u2']);
  expect(moderators({}).size).toBe(0);
});

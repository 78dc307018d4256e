import { MAX_REACTIONS_PER_MESSAGE, MAX_TOLD_PER_MESSAGE, REACTION_PEOPLE_SHOWN } from '../../../contract';
import { decideDelete, decideEdit, decideReaction, needsMorePeople } from './message-changes';
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
    expect(decideEdit(message, alice, { text: 'hello', revision: 5 }, {}, now)).toEqual({
      state: { ...message, text: 'hello', editedAt: now, revision: 5 },
    });
  });
  it('refuses anyone else, and a deleted message', () => {
    expect(decideEdit(message, bob, { text: 'hacked', revision: 5 }, {}, now)).toEqual({
      refused: { status: 403, message: 'Only the author can edit a message' },
    });
    expect(decideEdit({ ...message, deleted: true }, alice, { text: 'x', revision: 5 }, {}, now)).toMatchObject({
      refused: { status: 409 },
    });
  });
  it('ignores an edit older than, or the same as, the one applied', () => {
    const edited = { ...message, text: 'newer', revision: 9 };
    expect(decideEdit(edited, alice, { text: 'older', revision: 8 }, {}, now)).toEqual({ unchanged: true });
    expect(decideEdit(edited, alice, { text: 'newer again', revision: 9 }, {}, now)).toEqual({ unchanged: true });
  });
});

describe('editing whom a message mentions', () => {
  const mentioning: StoredMessage = { ...message, text: '<@u-bob> hi', mentions: ['u-bob'] };
  it('replaces the mentions with those the edit names that were kept (members), once each', () => {
    const edit = { text: '<@u-carol> <@u-out> <@u-carol> hi', revision: 1, mentions: ['u-carol', 'u-out', 'u-carol'] };
    expect(decideEdit(mentioning, alice, edit, { mentions: ['u-carol'] }, now)).toEqual({
      state: {
        ...message,
        text: edit.text,
        editedAt: now,
        revision: 1,
        mentions: ['u-carol'],
        // Bob was told when it was sent (a message from before `told`: its mentions were); Carol now.
        told: ['u-bob', 'u-carol'],
        toldLast: ['u-carol'],
      },
    });
  });
  it('keeps someone already mentioned while the edit names them, even if no longer kept as a member', () => {
    const edit = { text: '<@u-bob> hello', revision: 1, mentions: ['u-bob'] };
    expect(decideEdit(mentioning, alice, edit, {}, now)).toMatchObject({ state: { mentions: ['u-bob'] } });
  });
  it('an edit naming nobody mentions nobody; @room only when kept', () => {
    const roomWide = { ...mentioning, mentionsRoom: true };
    const none = decideEdit(roomWide, alice, { text: 'hi', revision: 1, mentions: [] }, {}, now);
    expect(none).toEqual({
      state: { ...message, text: 'hi', editedAt: now, revision: 1, told: ['u-bob'], toldRoom: true },
    });
    const refused = decideEdit(message, alice, { text: '@room', revision: 1, mentionsRoom: true }, {}, now);
    expect(refused).toEqual({ state: { ...message, text: '@room', editedAt: now, revision: 1 } });
    const kept = decideEdit(
      message,
      alice,
      { text: '@room', revision: 1, mentionsRoom: true },
      { mentionsRoom: true },
      now,
    );
    expect(kept).toMatchObject({ state: { mentionsRoom: true, toldRoom: true, toldRoomLast: true } });
  });
  it('from a client that names neither, keeps the mentions whose token is still there, and @room', () => {
    const two: StoredMessage = {
      ...message,
      text: '<@u-bob> <@u-carol> @room',
      mentions: ['u-bob', 'u-carol'],
      mentionsRoom: true,
    };
    expect(decideEdit(two, alice, { text: '<@u-carol> @room!', revision: 1 }, {}, now)).toEqual({
      state: {
        ...message,
        text: '<@u-carol> @room!',
        editedAt: now,
        revision: 1,
        mentions: ['u-carol'],
        mentionsRoom: true,
        told: ['u-bob', 'u-carol'],
        toldRoom: true,
      },
    });
  });
  it('changes nothing when neither the text nor whom it mentions changed; a change of mentions alone is an edit', () => {
    const same = { text: mentioning.text, revision: 1, mentions: ['u-bob'] };
    expect(decideEdit(mentioning, alice, same, { mentions: ['u-bob'] }, now)).toEqual({ unchanged: true });
    expect(decideEdit(mentioning, alice, { ...same, mentions: [] }, {}, now)).toEqual({
      state: { ...message, text: mentioning.text, editedAt: now, revision: 1, told: ['u-bob'] },
    });
  });
  it('tells each person and the room once over every edit, never the author, at most MAX_TOLD_PER_MESSAGE people', () => {
    let current: StoredMessage = { ...message, told: ['u-bob'] };
    const edit = (revision: number, mentions: string[], mentionsRoom = false) => {
      const decision = decideEdit(
        current,
        alice,
        { text: `v${revision}`, revision, mentions, mentionsRoom },
        { mentions, mentionsRoom },
        now,
      );
      if (!('state' in decision)) throw new Error('expected a change');
      current = {
        ...current,
        ...decision.state,
        toldLast: decision.state.toldLast,
        toldRoomLast: decision.state.toldRoomLast,
      };
      return { last: current.toldLast ?? [], room: current.toldRoomLast === true };
    };
    expect(edit(1, ['u-bob', 'u-carol', 'u-alice'])).toEqual({ last: ['u-carol'], room: false });
    expect(edit(2, [], true)).toEqual({ last: [], room: true });
    expect(edit(3, ['u-carol'], false)).toEqual({ last: [], room: false });
    expect(edit(4, ['u-carol'], true)).toEqual({ last: [], room: false });
    const many = Array.from({ length: MAX_TOLD_PER_MESSAGE + 10 }, (_, i) => `u-${i}`);
    for (let i = 0; i < many.length; i += 20) edit(5 + i, many.slice(i, i + 20));
    expect(current.told).toHaveLength(MAX_TOLD_PER_MESSAGE);
  });
});

describe('deleting', () => {
  it('lets the author or a moderator take a message back and drops its text and reactions', () => {
    const reacted = {
      ...message,
      reactions: { '👍': { count: 1, people: [bob] } },
      legacyReactors: { '🎉': [alice] },
    };
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
  const one = (people: readonly (typeof bob)[], count = people.length) => ({ count, people });
  it('adds and removes one person once per emoji, by their rows', () => {
    const added = decideReaction(message, bob, { emoji: '👍', add: true }, []);
    expect(added).toEqual({ state: { ...message, reactions: { '👍': one([bob]) } } });
    const withBob = { ...message, reactions: { '👍': one([bob]) } };
    expect(decideReaction(withBob, bob, { emoji: '👍', add: true }, ['👍'])).toEqual({ unchanged: true });
    expect(decideReaction(withBob, bob, { emoji: '👍', add: false }, ['👍'])).toEqual({ state: message });
    expect(decideReaction(message, bob, { emoji: '👍', add: false }, [])).toEqual({ unchanged: true });
  });
  it(`names the first ${REACTION_PEOPLE_SHOWN} and counts the rest; a named person leaving is replaced`, () => {
    const people = Array.from({ length: 5 }, (_, i) => ({ id: `u-${i}`, name: `P${i}` }));
    let current: typeof message = message;
    for (const person of people) {
      const decision = decideReaction(current, person, { emoji: '👍', add: true }, []);
      if (!('state' in decision)) throw new Error('refused');
      current = { ...current, ...decision.state };
    }
    expect(current.reactions).toEqual({ '👍': one(people.slice(0, REACTION_PEOPLE_SHOWN), 5) });
    expect(needsMorePeople(current, 'u-1', { emoji: '👍', add: false })).toBe(true);
    expect(needsMorePeople(current, 'u-4', { emoji: '👍', add: false })).toBe(false);
    const left = decideReaction(current, people[1], { emoji: '👍', add: false }, ['👍'], [people[1], people[4]]);
    expect(left).toEqual({ state: { ...message, reactions: { '👍': one([people[0], people[2], people[4]], 4) } } });
  });
  it('reads reactors of a message stored before reactor rows, and lets them take theirs back', () => {
    const legacy = { ...message, reactions: { '👍': one([alice, bob]) }, legacyReactors: { '👍': [alice, bob] } };
    expect(decideReaction(legacy, bob, { emoji: '👍', add: true }, [])).toEqual({ unchanged: true });
    expect(decideReaction(legacy, bob, { emoji: '👍', add: false }, [])).toEqual({
      state: { ...message, reactions: { '👍': one([alice]) }, legacyReactors: { '👍': [alice] } },
    });
  });
  it(`refuses a ${MAX_REACTIONS_PER_MESSAGE + 1}st different emoji but not one more person on an existing one`, () => {
    const full = Object.fromEntries(
      Array.from({ length: MAX_REACTIONS_PER_MESSAGE }, (_, i) => [`e${i}`, one([alice])]),
    );
    const crowded = { ...message, reactions: full };
    expect(decideReaction(crowded, bob, { emoji: '🎉', add: true }, [])).toMatchObject({ refused: { status: 409 } });
    expect(decideReaction(crowded, bob, { emoji: 'e0', add: true }, [])).toMatchObject({ state: {} });
  });
  it('refuses reactions on a deleted message', () => {
    expect(decideReaction({ ...message, deleted: true }, bob, { emoji: '👍', add: true }, [])).toMatchObject({
      refused: { status: 409 },
    });
  });
});

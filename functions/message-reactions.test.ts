import { randomUUID } from 'node:crypto';

import { MAX_REACTIONS_PER_MESSAGE, type Message, type MessagePage, REACTION_PEOPLE_SHOWN } from '../contract';
import { postRoom } from './create-room';
import { addMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { getHistory } from './history';
import { messageReactions } from './message-reactions';
import { postMessage } from './messages';
import { table } from './platform/storage/tables';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { countRoundTrips, readOf } from './testing/round-trips';
import { importMessages } from './testing/seed';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

// Own people: Jest runs files in parallel against one Azurite, and reactions count against a person's rate limit.
const rhea = { id: 'dev-react-rhea00000', name: 'Rhea' };
const sam = { id: 'dev-react-sam000000', name: 'Sam' };
const outsider = { id: 'dev-react-outsider0', name: 'Out' };

const post = async (text: string, room = 'general') =>
  (await call<Message>(postMessage, 'POST', 'messages', { user: rhea, body: { id: randomUUID(), room, text } })).body;
/** Another Functions instance: its own module state (counters, turns, table clients), its errors answered by its own withErrors. */
function instance(): typeof messageReactions {
  let handler!: typeof messageReactions;
  jest.isolateModules(() => {
    const { withErrors } =
      jest.requireActual<typeof import('./platform/http/with-errors')>('./platform/http/with-errors');
    handler = withErrors(
      jest.requireActual<typeof import('./message-reactions')>('./message-reactions').messageReactions,
    );
  });
  return handler;
}

const react = (message: Message, body: unknown, user = sam, handler = messageReactions) =>
  call<Message>(handler, 'POST', `rooms/${message.room}/messages/${message.id}/reactions`, {
    user,
    params: { room: message.room, id: message.id },
    body,
  });
const inHistory = async (message: Message) =>
  (
    await call<MessagePage>(getHistory, 'GET', `rooms/${message.room}/messages`, {
      user: rhea,
      params: { room: message.room },
      query: { limit: '200' },
    })
  ).body.messages.find((m) => m.id === message.id);

const historyOf = async (message: Message, user = rhea, query: Record<string, string> = { limit: '200' }) =>
  (
    await call<MessagePage>(getHistory, 'GET', `rooms/${message.room}/messages`, {
      user,
      params: { room: message.room },
      query,
    })
  ).body;

/** The message's row in the log, as stored (its size is what Table Storage's 64 KiB limit is about). */
async function logRowOf(message: Message): Promise<Record<string, unknown>> {
  const client = await table('messages');
  const marker = await client.getEntity<{ latest: number }>(message.room, `id_${message.id}`);
  return client.getEntity(message.room, `c_${String(marker.latest).padStart(15, '0')}`);
}

/**
 * A room of its own with `people` in it (and Rhea, who posts): other test files write to `general`
 * at the same time from other processes, racing for its counter as other instances would.
 */
async function roomWith(people: readonly { id: string; name: string }[]): Promise<string> {
  const room = `react-${randomUUID().slice(0, 8)}`;
  await createRoom(room, rhea);
  for (let i = 0; i < people.length; i += 25) await Promise.all(people.slice(i, i + 25).map((p) => addMember(room, p)));
  return room;
}

const crowd = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ id: `dev-react-${tag}-${i}`, name: `${tag} ${i}` }));

describe('POST /api/rooms/{room}/messages/{id}/reactions', () => {
  it('adds and removes a reaction once per person and emoji; the room gets a delta; pages say whose it is', async () => {
    const message = await post('react to me');
    const added = await react(message, { emoji: '🎉', add: true });
    expect(added.body.reactions).toEqual([{ emoji: '🎉', count: 1, people: [sam], mine: true }]);
    expect(added.outputs).toEqual([
      {
        target: 'reactionChanged',
        arguments: [
          {
            room: 'general',
            id: message.id,
            emoji: '🎉',
            user: sam,
            add: true,
            count: 1,
            people: [sam],
            seq: added.body.seq,
            previousSeq: message.seq,
          },
        ],
      },
    ]);
    const again = await react(message, { emoji: '🎉', add: true });
    expect(again.body.reactions).toEqual([{ emoji: '🎉', count: 1, people: [sam], mine: true }]);
    expect(again.outputs).toBeUndefined();
    await react(message, { emoji: '🎉', add: true }, rhea);
    expect((await inHistory(message))?.reactions).toEqual([{ emoji: '🎉', count: 2, people: [sam, rhea], mine: true }]);
    const removed = await react(message, { emoji: '🎉', add: false });
    expect(removed.body.reactions).toEqual([{ emoji: '🎉', count: 1, people: [rhea], mine: false }]);
    const samSees = (await historyOf(message, sam)).messages.find((m) => m.id === message.id);
    expect(samSees?.reactions).toEqual([{ emoji: '🎉', count: 1, people: [rhea], mine: false }]);
  });

  it('answers all of 45 people reacting at the same instant with 200; the count is 45, three are named', async () => {
    const people = crowd(45, 'burst');
    const message = await post('everyone at once', await roomWith(people));
    const answers = await Promise.all(people.map((person) => react(message, { emoji: '👍', add: true }, person)));
    expect(answers.map((a) => a.status)).toEqual(people.map(() => 200));
    const seen = (await inHistory(message))?.reactions;
    expect(seen).toEqual([{ emoji: '👍', count: 45, people: expect.any(Array), mine: false }]);
    expect(seen?.[0]?.people).toHaveLength(REACTION_PEOPLE_SHOWN);
    // Each delta's count is one of 1…45, once each: none was lost or counted twice.
    const counts = answers.map((a) => (a.outputs?.[0] as { arguments: [{ count: number }] }).arguments[0].count);
    expect(counts.sort((a, b) => a - b)).toEqual(people.map((_, i) => i + 1));
    const last = (await historyOf(message, people[44])).messages.find((m) => m.id === message.id);
    expect(last?.reactions?.[0]?.mine).toBe(true);
  }, 60_000);

  it('takes 1,000 reactors on one message: the count is right, its row and the delta stay small', async () => {
    const people = crowd(1000, 'k');
    const message = await post('a thousand', await roomWith(people));
    const frames: number[] = [];
    for (let i = 0; i < people.length; i += 25) {
      const answers = await Promise.all(
        people.slice(i, i + 25).map((person) => react(message, { emoji: '❤️', add: true }, person)),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      frames.push(...answers.map((a) => JSON.stringify(a.outputs?.[0]).length));
    }
    // A named person leaves: someone else who reacted is named instead.
    const left = await react(message, { emoji: '❤️', add: false }, people[0]);
    expect(left.body.reactions).toEqual([{ emoji: '❤️', count: 999, people: expect.any(Array), mine: false }]);
    const named = left.body.reactions?.[0]?.people.map((p) => p.id) ?? [];
    expect(named).toHaveLength(REACTION_PEOPLE_SHOWN);
    expect(named).not.toContain(people[0].id);
    const row = await logRowOf(message);
    const rowBytes = Buffer.byteLength(JSON.stringify(row));
    const frameBytes = Math.max(...frames);
    console.log(`1,000 reactors: message row ${rowBytes} B, largest reactionChanged frame ${frameBytes} B`);
    expect(rowBytes).toBeLessThan(2048);
    expect(frameBytes).toBeLessThan(1024);
    expect((await inHistory(message))?.reactions?.[0]?.count).toBe(999);
    // Its cost does not grow with the reactors: the same round trips, entities and bytes as on a message with one.
    const fresh = await post('just one', message.room);
    await react(fresh, { emoji: '❤️', add: true }, people[1]);
    const one = await countRoundTrips(() => react(fresh, { emoji: '❤️', add: true }, people[2]));
    const many = await countRoundTrips(() => react(message, { emoji: '❤️', add: true }, people[0]));
    expect(readOf(many.trips, 'messages').trips).toBe(readOf(one.trips, 'messages').trips);
    expect(readOf(many.trips, 'messages').entities).toBe(readOf(one.trips, 'messages').entities);
    expect(readOf(many.trips, 'messages').bytes).toBeLessThan(readOf(one.trips, 'messages').bytes + 512);
  }, 300_000);

  it('answers 45 reactions through 3 instances racing for the room with 200 or 503 + Retry-After, never 500', async () => {
    const people = crowd(45, 'inst');
    const message = await post('three instances', await roomWith(people));
    const instances = [instance(), instance(), instance()];
    let pending = people;
    for (let round = 0; pending.length > 0 && round < 10; round++) {
      const answers = await Promise.all(
        pending.map((person, i) => react(message, { emoji: '🚀', add: true }, person, instances[i % 3])),
      );
      for (const answer of answers) {
        if (answer.status === 503)
          expect(Number((answer.headers as Record<string, string>)['retry-after'])).toBeGreaterThan(0);
        else expect(answer.status).toBe(200);
      }
      pending = pending.filter((_, i) => answers[i].status === 503);
    }
    expect(pending).toEqual([]);
    expect((await inHistory(message))?.reactions?.[0]?.count).toBe(45);
  }, 120_000);

  it('reads a message stored with every reactor in its row, and lets those people take theirs back', async () => {
    const message = await post('stored long ago');
    const old = crowd(5, 'old');
    // The row as the app stored it before reactors had rows of their own: `reactions` = emoji → people.
    const client = await table('messages');
    const marker = await client.getEntity<{ latest: number }>('general', `id_${message.id}`);
    for (const rowKey of [
      `c_${String(marker.latest).padStart(15, '0')}`,
      `n_${String(1e15 - 1 - marker.latest).padStart(15, '0')}`,
    ]) {
      await client.updateEntity({ partitionKey: 'general', rowKey, reactions: JSON.stringify({ '👍': old }) }, 'Merge');
    }
    const seen = (await historyOf(message, old[4])).messages.find((m) => m.id === message.id);
    expect(seen?.reactions).toEqual([{ emoji: '👍', count: 5, people: old.slice(0, 3), mine: true }]);
    expect((await react(message, { emoji: '👍', add: true }, old[4])).outputs).toBeUndefined();
    const gone = await react(message, { emoji: '👍', add: false }, old[0]);
    expect(gone.body.reactions).toEqual([{ emoji: '👍', count: 4, people: [old[1], old[2], old[3]], mine: false }]);
    const joined = await react(message, { emoji: '👍', add: true });
    expect(joined.body.reactions).toEqual([{ emoji: '👍', count: 5, people: [old[1], old[2], old[3]], mine: true }]);
    expect((await historyOf(message, old[1])).messages.find((m) => m.id === message.id)?.reactions?.[0]?.mine).toBe(
      true,
    );
  });

  it('brings a reacted message to catch-up (?since=) with its current counts and whose it is', async () => {
    const message = await post('catch me up');
    const { cursor } = await historyOf(message, sam, { limit: '1' });
    await react(message, { emoji: '👀', add: true }, rhea);
    await react(message, { emoji: '👀', add: true });
    const page = await historyOf(message, sam, { since: String(cursor) });
    const caught = page.messages.find((m) => m.id === message.id);
    expect(caught?.reactions).toEqual([{ emoji: '👀', count: 2, people: [rhea, sam], mine: true }]);
    expect(page.cursor).toBeGreaterThanOrEqual(caught?.seq ?? Infinity);
  });

  it(`refuses what is not one emoji (400) and a ${MAX_REACTIONS_PER_MESSAGE + 1}st distinct emoji (409)`, async () => {
    const message = await post('limits');
    expect((await react(message, { emoji: '👍👍', add: true })).body).toMatchObject({
      error: { code: 'validation_failed', message: 'emoji must be a single emoji' },
    });
    expect((await react(message, { emoji: 'ok', add: true })).status).toBe(400);
    // Twenty people, twenty different emoji, seeded straight into the log (the rate limit is not under test here).
    const crowded = { ...message, id: randomUUID(), text: 'crowded' };
    await importMessages('general', [crowded]);
    const emoji = [
      '😀',
      '😁',
      '😂',
      '🤣',
      '😃',
      '😄',
      '😅',
      '😆',
      '😉',
      '😊',
      '😋',
      '😎',
      '😍',
      '😘',
      '🥰',
      '😗',
      '😙',
      '🥲',
      '🙂',
      '🤗',
    ];
    for (const [i, e] of emoji.entries()) {
      expect((await react(crowded, { emoji: e, add: true }, { id: `dev-react-many-${i}`, name: `M${i}` })).status).toBe(
        200,
      );
    }
    expect((await react(crowded, { emoji: '🤔', add: true })).status).toBe(409);
    expect((await react(crowded, { emoji: '😀', add: true })).status).toBe(200);
  }, 30_000);

  it('lets only members react (403), refuses an unknown message (404)', async () => {
    await call(postRoom, 'POST', 'rooms', { user: rhea, body: { name: 'react-private' } });
    const message = await post('members only', 'react-private');
    expect((await react(message, { emoji: '👍', add: true }, outsider)).status).toBe(403);
    expect((await react({ ...message, id: 'unknown' }, { emoji: '👍', add: true }, rhea)).status).toBe(404);
  });
});

import { randomUUID } from 'node:crypto';

import { MAX_REACTIONS_PER_MESSAGE, type Message, type MessagePage } from '../contract';
import { postRoom } from './create-room';
import { getHistory } from './history';
import { messageReactions } from './message-reactions';
import { postMessage } from './messages';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
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
const react = (message: Message, body: unknown, user = sam) =>
  call<Message>(messageReactions, 'POST', `rooms/${message.room}/messages/${message.id}/reactions`, {
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

describe('POST /api/rooms/{room}/messages/{id}/reactions', () => {
  it('adds and removes a reaction once per person and emoji, live and in history', async () => {
    const message = await post('react to me');
    const added = await react(message, { emoji: '🎉', add: true });
    expect(added.body.reactions).toEqual([{ emoji: '🎉', users: [sam] }]);
    expect(added.outputs).toEqual([{ target: 'messageChanged', arguments: [added.body] }]);
    const again = await react(message, { emoji: '🎉', add: true });
    expect(again.body.reactions).toEqual([{ emoji: '🎉', users: [sam] }]);
    expect(again.outputs).toBeUndefined();
    await react(message, { emoji: '🎉', add: true }, rhea);
    expect((await inHistory(message))?.reactions).toEqual([{ emoji: '🎉', users: [sam, rhea] }]);
    const removed = await react(message, { emoji: '🎉', add: false });
    expect(removed.body.reactions).toEqual([{ emoji: '🎉', users: [rhea] }]);
  });

  it('keeps every reaction of people reacting at the same moment', async () => {
    const message = await post('everyone at once');
    const people = Array.from({ length: 8 }, (_, i) => ({ id: `dev-react-crowd-${i}`, name: `Crowd ${i}` }));
    const answers = await Promise.all(people.map((person) => react(message, { emoji: '👍', add: true }, person)));
    expect(answers.map((a) => a.status)).toEqual(people.map(() => 200));
    const ids = (await inHistory(message))?.reactions?.[0]?.users.map((u) => u.id).sort();
    expect(ids).toEqual(people.map((p) => p.id).sort());
  }, 30_000);

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

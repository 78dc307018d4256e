import { randomUUID } from 'node:crypto';

import type { Message, MessagePage } from '../contract';
import { postRoom } from './create-room';
import { editMessage } from './edit-message';
import { getHistory } from './history';
import { postMessage } from './messages';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { bob } from './testing/requests';

// Own people: Jest runs files in parallel against one Azurite, and edits count against a person's rate limit.
const alice = { id: 'dev-edit-author0000', name: 'Edith' };

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const post = async (text: string, room = 'general', user = alice) =>
  (await call<Message>(postMessage, 'POST', 'messages', { user, body: { id: randomUUID(), room, text } })).body;
const edit = (message: Message, body: unknown, user = alice) =>
  call<Message>(editMessage, 'PATCH', `rooms/${message.room}/messages/${message.id}`, {
    user,
    params: { room: message.room, id: message.id },
    body,
  });
const history = async (room = 'general', user = alice) =>
  (
    await call<MessagePage>(getHistory, 'GET', `rooms/${room}/messages`, {
      user,
      params: { room },
      query: { limit: '200' },
    })
  ).body;

describe('PATCH /api/rooms/{room}/messages/{id}', () => {
  it('lets the author change the text: the room receives messageChanged and history shows the edit with its time', async () => {
    const message = await post('helo wrld');
    const edited = await edit(message, { text: '  hello world ', revision: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: message.id, text: 'hello world', editedAt: expect.any(String) });
    expect(edited.body.seq).toBeGreaterThan(message.seq!);
    expect(edited.outputs).toEqual([{ target: 'messageChanged', arguments: [edited.body] }]);
    expect((await history()).messages.find((m) => m.id === message.id)).toEqual(edited.body);
  });

  it('keeps the newest edit when an older one arrives late, and a repeat changes nothing', async () => {
    const message = await post('first');
    expect((await edit(message, { text: 'newest', revision: 20 })).status).toBe(200);
    const late = await edit(message, { text: 'older', revision: 10 });
    expect(late.status).toBe(200);
    expect(late.body.text).toBe('newest');
    expect(late.outputs).toBeUndefined();
    const repeat = await edit(message, { text: 'newest', revision: 20 });
    expect(repeat.outputs).toBeUndefined();
    expect((await history()).messages.find((m) => m.id === message.id)?.text).toBe('newest');
  });

  it('applies one of two concurrent edits last and history agrees with the last answer', async () => {
    const message = await post('race me');
    const [a, b] = await Promise.all([
      edit(message, { text: 'A', revision: 1 }),
      edit(message, { text: 'B', revision: 2 }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await history()).messages.find((m) => m.id === message.id)?.text).toBe('B');
  });

  it('refuses anyone but the author (403), an unknown message (404), bad text (400)', async () => {
    const message = await post('mine');
    expect((await edit(message, { text: 'hijack', revision: 1 }, bob)).status).toBe(403);
    expect((await edit({ ...message, id: 'no-such-message' }, { text: 'x', revision: 1 })).status).toBe(404);
    expect((await edit(message, { text: '   ', revision: 1 })).body).toMatchObject({
      error: { code: 'validation_failed', message: 'text must be 1-4000 characters' },
    });
    expect((await edit(message, { text: 'x' })).status).toBe(400);
    expect((await history()).messages.find((m) => m.id === message.id)?.text).toBe('mine');
  });

  it('refuses a message of another room even to its author, and people outside the room', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'edit-private' } });
    const secret = await post('in the private room', 'edit-private');
    expect((await edit({ ...secret, room: 'general' }, { text: 'moved', revision: 1 })).status).toBe(404);
    expect((await edit(secret, { text: 'hi', revision: 1 }, bob)).status).toBe(403);
  });

  it('answers 401 without a principal and 415 for a body not sent as JSON', async () => {
    const message = await post('x');
    const params = { room: 'general', id: message.id };
    expect(
      (await call(editMessage, 'PATCH', 'rooms/general/messages/x', { params, body: { text: 'y', revision: 1 } }))
        .status,
    ).toBe(401);
    const form = await call(editMessage, 'PATCH', 'rooms/general/messages/x', {
      user: alice,
      params,
      rawBody: 'text=y',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });
});

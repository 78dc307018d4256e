import { randomUUID } from 'node:crypto';

import { ANNOUNCE_WINDOW_MS, type Message } from '../contract';
import { announceMessage } from './announce-message';
import { deleteMessage } from './delete-message';
import { postMessage } from './messages';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { importMessages } from './testing/seed';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

// Own people: Jest runs files in parallel against one Azurite, and announcing counts against a person's rate limit.
const ada = { id: 'dev-announce-ada000', name: 'Ada' };
const bea = { id: 'dev-announce-bea000', name: 'Bea' };

const post = async (text: string) =>
  (
    await call<Message>(postMessage, 'POST', 'messages', {
      user: ada,
      body: { id: randomUUID(), room: 'general', text },
    })
  ).body;
const announce = (message: Pick<Message, 'id' | 'room'>, user = ada) =>
  call(announceMessage, 'POST', `rooms/${message.room}/messages/${message.id}/announce`, {
    user,
    params: { room: message.room, id: message.id },
  });

describe('POST /api/rooms/{room}/messages/{id}/announce', () => {
  it('broadcasts the stored message to the room again, for its author', async () => {
    const message = await post('did anyone get this?');
    const again = await announce(message);
    expect(again.status).toBe(202);
    expect(again.outputs).toEqual([{ target: 'newMessage', arguments: [message] }]);
  });

  it('refuses anyone but the author (403) and an unknown message (404)', async () => {
    const message = await post('mine to announce');
    expect((await announce(message, bea)).status).toBe(403);
    expect((await announce({ id: 'never-sent', room: 'general' })).status).toBe(404);
  });

  it('announces nothing for a deleted message or one past the window: catch-up serves those', async () => {
    const message = await post('regretted');
    await call(deleteMessage, 'DELETE', 'x', { user: ada, params: { room: 'general', id: message.id } });
    expect(await announce(message)).toMatchObject({ status: 204, outputs: undefined });
    const old = {
      id: randomUUID(),
      room: 'general',
      text: 'from long ago',
      sender: ada,
      sentAt: new Date(Date.now() - ANNOUNCE_WINDOW_MS - 60_000).toISOString(),
    };
    await importMessages('general', [old]);
    expect(await announce(old)).toMatchObject({ status: 204, outputs: undefined });
  });
});

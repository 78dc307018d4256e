import { randomUUID } from 'node:crypto';

import type { Message, MessagePage } from '../contract';
import { postRoom } from './create-room';
import { deleteMessage } from './delete-message';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postMessage } from './messages';
import { table } from './platform/storage/tables';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

// Own people: Jest runs files in parallel against one Azurite, and deletes count against a person's rate limit.
const owner = { id: 'dev-del-owner000000', name: 'Olive' };
const member = { id: 'dev-del-member00000', name: 'Mo' };
const other = { id: 'dev-del-other000000', name: 'Otto' };
const moderator = { id: 'dev-del-moderator00', name: 'Mod' };
const room = 'delete-room';

beforeAll(async () => {
  await call(postRoom, 'POST', 'rooms', { user: owner, body: { name: room } });
  for (const user of [member, other]) await call(postJoin, 'POST', `rooms/${room}/join`, { user, params: { room } });
});

const post = async (text: string, user = member, where = room) =>
  (await call<Message>(postMessage, 'POST', 'messages', { user, body: { id: randomUUID(), room: where, text } })).body;
const remove = (message: Message, user: typeof owner) =>
  call<Message>(deleteMessage, 'DELETE', `rooms/${message.room}/messages/${message.id}`, {
    user,
    params: { room: message.room, id: message.id },
  });
const history = async (where = room) =>
  (
    await call<MessagePage>(getHistory, 'GET', `rooms/${where}/messages`, {
      user: owner,
      params: { room: where },
      query: { limit: '200' },
    })
  ).body;

describe('DELETE /api/rooms/{room}/messages/{id}', () => {
  it('lets the author take a message back: its text leaves storage and everyone sees it deleted', async () => {
    const message = await post('a secret I regret');
    const deleted = await remove(message, member);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: message.id, deleted: true, text: '' });
    expect(deleted.outputs).toEqual([{ target: 'messageChanged', arguments: [deleted.body], groupName: room }]);
    expect((await history()).messages.find((m) => m.id === message.id)).toMatchObject({ deleted: true, text: '' });
    const rows: unknown[] = [];
    const client = await table('messages');
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${room}'` } }))
      rows.push(row);
    expect(JSON.stringify(rows)).not.toContain('a secret I regret');
  });

  it("lets the room's owner delete anyone's message, and nobody else", async () => {
    const message = await post('off topic');
    expect((await remove(message, other)).status).toBe(403);
    expect((await history()).messages.find((m) => m.id === message.id)?.text).toBe('off topic');
    expect((await remove(message, owner)).body).toMatchObject({ deleted: true });
  });

  it('lets the moderators named in the app setting delete in general, and only them', async () => {
    const message = await post('spam', member, 'general');
    expect((await remove(message, owner)).status).toBe(403);
    process.env['HUBBUB_MODERATORS'] = `someone-else, ${moderator.id}`;
    try {
      expect((await remove(message, moderator)).body).toMatchObject({ deleted: true });
    } finally {
      delete process.env['HUBBUB_MODERATORS'];
    }
  });

  it('answers a repeat with the deleted message and broadcasts nothing; an unknown id is 404', async () => {
    const message = await post('twice');
    await remove(message, member);
    const again = await remove(message, member);
    expect(again.status).toBe(200);
    expect(again.outputs).toBeUndefined();
    expect((await remove({ ...message, id: 'never-sent' }, member)).status).toBe(404);
  });
});

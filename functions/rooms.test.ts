import { getRooms } from './rooms';
import { postRoom } from './create-room';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { postDm } from './direct-messages';
import { getUsers } from './users';
import { postTyping } from './typing';
import { negotiate } from './negotiate';
import { connected } from './connected';
import { disconnected } from './disconnected';
import { getHistory } from './history';
import { postMessage } from './messages';
import { connectionInfo, signalROut } from './lib/signalr';
import { withErrors } from './lib/with-errors';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { alice, bob, invocation, request } from './testing/requests';
import type { Principal } from './lib/identity';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const carol: Principal = { id: 'dev-ca201000000000000', name: 'Carol' };

async function signIn(user: Principal): Promise<void> {
  const context = invocation('negotiate');
  context.extraInputs.set(connectionInfo, { url: 'http://localhost:8888/client/?hub=chat', accessToken: 't' });
  expect((await withErrors(negotiate)(request('POST', 'negotiate', { user }), context)).status).toBe(200);
}

const call = async (
  handler: (
    r: ReturnType<typeof request>,
    c: ReturnType<typeof invocation>,
  ) => Promise<{ status?: number; jsonBody?: unknown }>,
  method: string,
  path: string,
  options: Parameters<typeof request>[2] = {},
) => {
  const context = invocation(path);
  const response = await withErrors(handler)(request(method, path, options), context);
  return {
    status: response.status,
    body: response.jsonBody as Record<string, unknown>,
    outputs: context.extraOutputs.get(signalROut),
  };
};

describe('rooms', () => {
  it('lists general for everyone, joined', async () => {
    const { status, body } = await call(getRooms, 'GET', 'rooms', { user: carol });
    expect(status).toBe(200);
    expect(body['rooms']).toContainEqual({ name: 'general', kind: 'room', title: 'general', joined: true });
  });

  it('creates a room with the creator in it and its SignalR group', async () => {
    const created = await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'book-club' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: 'book-club', kind: 'room', title: 'book-club', joined: true });
    expect(created.outputs).toEqual([
      { action: 'add', groupName: 'book-club', userId: alice.id },
      { target: 'roomCreated', arguments: [{ name: 'book-club', kind: 'room', title: 'book-club', joined: false }] },
    ]);
    const again = await call(postRoom, 'POST', 'rooms', { user: bob, body: { name: 'book-club' } });
    expect(again.status).toBe(409);
    const listed = await call(getRooms, 'GET', 'rooms', { user: bob });
    expect(listed.body['rooms']).toContainEqual({ name: 'book-club', kind: 'room', title: 'book-club', joined: false });
  });

  it.each([['Bad Name'], ['x'.repeat(65)], [''], ['dm-sneaky'], ['general']])('refuses to create %j', async (name) => {
    const { status } = await call(postRoom, 'POST', 'rooms', { user: alice, body: { name } });
    expect([400, 409]).toContain(status);
  });

  it('join mirrors membership into the SignalR user group; leave removes it and then 403s', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'hikers' } });
    const joined = await call(postJoin, 'POST', 'rooms/hikers/join', { user: bob, params: { room: 'hikers' } });
    expect(joined.status).toBe(200);
    expect(joined.outputs).toEqual([{ action: 'add', groupName: 'hikers', userId: bob.id }]);
    const history = await call(getHistory, 'GET', 'rooms/hikers/messages', { user: bob, params: { room: 'hikers' } });
    expect(history.status).toBe(200);

    const left = await call(postLeave, 'POST', 'rooms/hikers/leave', { user: bob, params: { room: 'hikers' } });
    expect(left.status).toBe(204);
    expect(left.outputs).toEqual([{ action: 'remove', groupName: 'hikers', userId: bob.id }]);
    const after = await call(getHistory, 'GET', 'rooms/hikers/messages', { user: bob, params: { room: 'hikers' } });
    expect(after.status).toBe(403);
    expect(
      (await call(postLeave, 'POST', 'rooms/general/leave', { user: bob, params: { room: 'general' } })).status,
    ).toBe(400);
    expect((await call(postJoin, 'POST', 'rooms/nope/join', { user: bob, params: { room: 'nope' } })).status).toBe(404);
  });

  it('direct messages reach and show only the two people', async () => {
    await signIn(alice);
    await signIn(bob);
    await signIn(carol);
    const dm = await call(postDm, 'POST', 'dms', { user: alice, body: { userId: bob.id } });
    expect(dm.status).toBe(200);
    const name = dm.body['name'] as string;
    expect(dm.body).toMatchObject({ kind: 'dm', title: 'Bob', joined: true });
    expect(dm.outputs).toEqual([
      { action: 'add', groupName: name, userId: alice.id },
      { action: 'add', groupName: name, userId: bob.id },
    ]);
    const fromBob = await call(postDm, 'POST', 'dms', { user: bob, body: { userId: alice.id } });
    expect(fromBob.body).toMatchObject({ name, title: 'Alice' });

    const sent = await call(postMessage, 'POST', 'messages', {
      user: bob,
      body: { id: 'dm-msg-1', room: name, text: 'psst' },
    });
    expect(sent.status).toBe(201);
    expect(sent.outputs).toEqual([{ target: 'newMessage', arguments: [sent.body], groupName: name }]);

    expect((await call(getHistory, 'GET', 'x', { user: carol, params: { room: name } })).status).toBe(403);
    expect(
      (await call(postMessage, 'POST', 'messages', { user: carol, body: { id: 'c1', room: name, text: 'hi' } })).status,
    ).toBe(403);
    expect((await call(postJoin, 'POST', 'x', { user: carol, params: { room: name } })).status).toBe(403);
    const carolsRooms = await call(getRooms, 'GET', 'rooms', { user: carol });
    expect((carolsRooms.body['rooms'] as { name: string }[]).map((r) => r.name)).not.toContain(name);

    expect((await call(postDm, 'POST', 'dms', { user: alice, body: { userId: alice.id } })).status).toBe(400);
    expect((await call(postDm, 'POST', 'dms', { user: alice, body: { userId: 'dev-nobody' } })).status).toBe(404);
  });

  it('typing goes to the room and only members may send it', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'typists' } });
    const typing = await call(postTyping, 'POST', 'x', { user: alice, params: { room: 'typists' } });
    expect(typing.status).toBe(202);
    expect(typing.outputs).toEqual([
      { target: 'typing', arguments: [{ room: 'typists', user: alice }], groupName: 'typists' },
    ]);
    expect((await call(postTyping, 'POST', 'x', { user: carol, params: { room: 'typists' } })).status).toBe(403);
    expect((await call(postTyping, 'POST', 'x', { user: alice, params: { room: 'no-such-room' } })).status).toBe(404);
  });
});

describe('presence', () => {
  it('comes online with the first connection, re-applies room groups, and goes offline with the last', async () => {
    await signIn(carol);
    await call(postRoom, 'POST', 'rooms', { user: carol, body: { name: 'carols' } });
    const users = async () =>
      ((await call(getUsers, 'GET', 'users', { user: alice })).body['users'] as { id: string; online: boolean }[]).find(
        (u) => u.id === carol.id,
      );
    expect(await users()).toMatchObject({ online: false });

    const first = invocation('connected');
    await connected({ ConnectionId: 'c-1', UserId: carol.id }, first);
    expect(first.extraOutputs.get(signalROut)).toEqual([
      { action: 'add', groupName: 'carols', userId: carol.id },
      { target: 'presence', arguments: [{ user: carol, online: true }] },
    ]);
    const second = invocation('connected');
    await connected({ ConnectionId: 'c-2', UserId: carol.id }, second);
    expect(second.extraOutputs.get(signalROut)).toEqual([{ action: 'add', groupName: 'carols', userId: carol.id }]);
    expect(await users()).toMatchObject({ online: true, name: 'Carol' });

    const gone1 = invocation('disconnected');
    await disconnected({ ConnectionId: 'c-1', UserId: carol.id }, gone1);
    expect(gone1.extraOutputs.get(signalROut)).toBeUndefined();
    const gone2 = invocation('disconnected');
    await disconnected({ ConnectionId: 'c-2', UserId: carol.id }, gone2);
    expect(gone2.extraOutputs.get(signalROut)).toEqual([
      { target: 'presence', arguments: [{ user: carol, online: false }] },
    ]);
    expect(await users()).toMatchObject({ online: false });
  });
});

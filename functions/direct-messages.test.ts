import { postDm } from './direct-messages';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postMessage } from './messages';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';
import { alice, bob, carol } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

describe('directMessages', () => {
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
    expect(sent.outputs).toEqual([
      { target: 'newMessage', arguments: [sent.body], groupName: name },
      // Bob's tabs: the DM is read up to his message; Alice: every DM message is a mention (read-state.test.ts).
      expect.objectContaining({ target: 'readState', userId: bob.id }),
      { target: 'mention', arguments: [{ room: name, message: sent.body }], userId: alice.id },
    ]);

    // To Carol the DM of two others is a room that does not exist (dm-privacy.test.ts: every route).
    expect((await call(getHistory, 'GET', 'x', { user: carol, params: { room: name } })).status).toBe(404);
    expect(
      (await call(postMessage, 'POST', 'messages', { user: carol, body: { id: 'c1', room: name, text: 'hi' } })).status,
    ).toBe(404);
    expect((await call(postJoin, 'POST', 'x', { user: carol, params: { room: name } })).status).toBe(404);
    const carolsRooms = await call(getRooms, 'GET', 'rooms', { user: carol });
    expect((carolsRooms.body['rooms'] as { name: string }[]).map((r) => r.name)).not.toContain(name);

    expect((await call(postDm, 'POST', 'dms', { user: alice, body: { userId: alice.id } })).status).toBe(400);
    expect((await call(postDm, 'POST', 'dms', { user: alice, body: { userId: 'dev-nobody' } })).status).toBe(404);
  });
});

import { postRoom } from './create-room';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { alice, bob } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

describe('createRoom', () => {
  it('creates a room with the creator in it and its SignalR group', async () => {
    const created = await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'book-club' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'book-club',
      kind: 'room',
      title: 'book-club',
      joined: true,
      moderator: true,
      role: 'owner',
    });
    expect(created.outputs).toEqual([
      { action: 'add', groupName: 'book-club', userId: alice.id },
      { target: 'roomCreated', arguments: [{ name: 'book-club', kind: 'room', title: 'book-club', joined: false }] },
      // The creator's other tabs list it as theirs.
      { target: 'membership', userId: alice.id, arguments: [{ name: 'book-club', room: created.body }] },
    ]);
    const again = await call(postRoom, 'POST', 'rooms', { user: bob, body: { name: 'book-club' } });
    expect(again.status).toBe(409);
    const listed = await call(getRooms, 'GET', 'rooms', { user: bob, query: { query: 'book-club' } });
    expect(listed.body['rooms']).toContainEqual({ name: 'book-club', kind: 'room', title: 'book-club', joined: false });
  });

  it.each([['Bad Name'], ['x'.repeat(65)], [''], ['dm-sneaky'], ['general']])('refuses to create %j', async (name) => {
    const { status } = await call(postRoom, 'POST', 'rooms', { user: alice, body: { name } });
    expect([400, 409]).toContain(status);
  });
});

import { postRoom } from './create-room';
import { signalROut } from './lib/signalr';
import { type HttpHandler, withErrors } from './lib/with-errors';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { alice, bob, invocation, request, type RequestOptions } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

/** Calls a handler as its registration does, through withErrors. */
const call = async (handler: HttpHandler, method: string, path: string, options: RequestOptions = {}) => {
  const context = invocation(path);
  const response = await withErrors(handler)(request(method, path, options), context);
  return {
    status: response.status,
    body: response.jsonBody as Record<string, unknown>,
    outputs: context.extraOutputs.get(signalROut),
  };
};

describe('createRoom', () => {
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
});

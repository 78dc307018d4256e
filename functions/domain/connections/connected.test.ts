import { postRoom } from '../../create-room';
import { signalROut } from '../../platform/signalr/signalr';
import { startAzurite, type TestAzurite } from '../../testing/azurite';
import { call, signIn } from '../../testing/calls';
import { alice, carol, connectedOutputFor, invocation } from '../../testing/requests';
import { getUsers } from '../../users';
import { connected } from './connected';
import { disconnected } from './disconnected';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

describe('presence', () => {
  it('comes online with the first connection, re-applies room groups, and goes offline with the last', async () => {
    await signIn(carol);
    await call(postRoom, 'POST', 'rooms', { user: carol, body: { name: 'carols' } });
    const users = async () =>
      // By id: the shared Azurite holds every suite's people, so a name-ordered page may not reach Carol.
      (
        (await call(getUsers, 'GET', 'users', { user: alice, query: { id: carol.id } })).body['users'] as {
          id: string;
          online: boolean;
        }[]
      ).find((u) => u.id === carol.id);
    expect(await users()).toMatchObject({ online: false });

    const first = invocation('connected');
    await connected({ ConnectionId: 'c-1', UserId: carol.id }, first);
    expect(connectedOutputFor(first, carol.id)).toEqual([
      { action: 'add', groupName: 'carols', userId: carol.id },
      { target: 'presence', arguments: [{ user: carol, online: true, state: 'active' }] },
    ]);
    const second = invocation('connected');
    await connected({ ConnectionId: 'c-2', UserId: carol.id }, second);
    expect(connectedOutputFor(second, carol.id)).toEqual([{ action: 'add', groupName: 'carols', userId: carol.id }]);
    expect(await users()).toMatchObject({ online: true, name: 'Carol' });

    const gone1 = invocation('disconnected');
    await disconnected({ ConnectionId: 'c-1', UserId: carol.id }, gone1);
    expect(gone1.extraOutputs.get(signalROut)).toBeUndefined();
    const gone2 = invocation('disconnected');
    await disconnected({ ConnectionId: 'c-2', UserId: carol.id }, gone2);
    expect(gone2.extraOutputs.get(signalROut)).toEqual([
      { target: 'presence', arguments: [{ user: carol, online: false, state: 'offline' }] },
    ]);
    expect(await users()).toMatchObject({ online: false });
  });
});

import { postRoom } from './create-room';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { alice, bob } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

describe('leaveRoom', () => {
  it('leave removes the SignalR user group membership and then 403s', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'hikers' } });
    await call(postJoin, 'POST', 'rooms/hikers/join', { user: bob, params: { room: 'hikers' } });
    const history = await call(getHistory, 'GET', 'rooms/hikers/messages', { user: bob, params: { room: 'hikers' } });
    expect(history.status).toBe(200);

    const left = await call(postLeave, 'POST', 'rooms/hikers/leave', { user: bob, params: { room: 'hikers' } });
    expect(left.status).toBe(204);
    expect(left.outputs).toEqual([
      { action: 'remove', groupName: 'hikers', userId: bob.id },
      { target: 'membership', arguments: [{ name: 'hikers', removed: 'left' }], userId: bob.id },
      { target: 'memberChanged', arguments: [{ room: 'hikers', user: bob, gone: 'left' }], groupName: 'hikers' },
    ]);
    const after = await call(getHistory, 'GET', 'rooms/hikers/messages', { user: bob, params: { room: 'hikers' } });
    expect(after.status).toBe(403);
    expect(
      (await call(postLeave, 'POST', 'rooms/general/leave', { user: bob, params: { room: 'general' } })).status,
    ).toBe(400);
  });
});

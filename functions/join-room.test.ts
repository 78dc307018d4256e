import { postRoom } from './create-room';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { alice, bob } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

describe('joinRoom', () => {
  it('join mirrors membership into the SignalR user group', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'hikers' } });
    const joined = await call(postJoin, 'POST', 'rooms/hikers/join', { user: bob, params: { room: 'hikers' } });
    expect(joined.status).toBe(200);
    const room = { name: 'hikers', kind: 'room', title: 'hikers', joined: true, role: 'member' };
    expect(joined.body).toEqual(room);
    // The group by user id (every connection), their other tabs, and the room.
    expect(joined.outputs).toEqual([
      { action: 'add', groupName: 'hikers', userId: bob.id },
      { target: 'membership', arguments: [{ name: 'hikers', room }], userId: bob.id },
      { target: 'memberChanged', arguments: [{ room: 'hikers', user: bob, role: 'member' }], groupName: 'hikers' },
    ]);
    // Joining again changes nothing and tells nobody.
    const again = await call(postJoin, 'POST', 'rooms/hikers/join', { user: bob, params: { room: 'hikers' } });
    expect(again.outputs).toEqual([{ action: 'add', groupName: 'hikers', userId: bob.id }]);
    const history = await call(getHistory, 'GET', 'rooms/hikers/messages', { user: bob, params: { room: 'hikers' } });
    expect(history.status).toBe(200);
    expect((await call(postJoin, 'POST', 'rooms/nope/join', { user: bob, params: { room: 'nope' } })).status).toBe(404);
  });
});

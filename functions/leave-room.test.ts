import { postRoom } from './create-room';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { signalROut } from './lib/signalr';
import { type HttpHandler, withErrors } from './lib/with-errors';
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

describe('leaveRoom', () => {
  it('leave removes the SignalR user group membership and then 403s', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'hikers' } });
    await call(postJoin, 'POST', 'rooms/hikers/join', { user: bob, params: { room: 'hikers' } });
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
  });
});

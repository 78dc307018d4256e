import { postRoom } from './create-room';
import { getHistory } from './history';
import { postJoin } from './join-room';
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

describe('joinRoom', () => {
  it('join mirrors membership into the SignalR user group', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'hikers' } });
    const joined = await call(postJoin, 'POST', 'rooms/hikers/join', { user: bob, params: { room: 'hikers' } });
    expect(joined.status).toBe(200);
    expect(joined.outputs).toEqual([{ action: 'add', groupName: 'hikers', userId: bob.id }]);
    const history = await call(getHistory, 'GET', 'rooms/hikers/messages', { user: bob, params: { room: 'hikers' } });
    expect(history.status).toBe(200);
    expect((await call(postJoin, 'POST', 'rooms/nope/join', { user: bob, params: { room: 'nope' } })).status).toBe(404);
  });
});

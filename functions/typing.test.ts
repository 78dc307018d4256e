import { postRoom } from './create-room';
import type { Principal } from './lib/identity';
import { signalROut } from './lib/signalr';
import { type HttpHandler, withErrors } from './lib/with-errors';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { alice, invocation, request, type RequestOptions } from './testing/requests';
import { postTyping } from './typing';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const carol: Principal = { id: 'dev-ca201000000000000', name: 'Carol' };

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

describe('typing', () => {
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

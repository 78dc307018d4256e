import type { Principal } from './lib/identity';
import { signalROut } from './lib/signalr';
import { type HttpHandler, withErrors } from './lib/with-errors';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { invocation, request, type RequestOptions } from './testing/requests';

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

describe('rooms', () => {
  it('lists general for everyone, joined', async () => {
    const { status, body } = await call(getRooms, 'GET', 'rooms', { user: carol });
    expect(status).toBe(200);
    expect(body['rooms']).toContainEqual({ name: 'general', kind: 'room', title: 'general', joined: true });
  });
});

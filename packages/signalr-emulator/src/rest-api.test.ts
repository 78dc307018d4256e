/** Every REST operation on both API surfaces, with the swagger's status codes (docs/signalr-service-contract.md §5). */
import { encode } from '@msgpack/msgpack';

import { type RunningEmulator, startEmulator } from './server';
import { API_VERSION, clientToken, RawClient, rest, waitFor } from './testing/helpers';

let emulator: RunningEmulator;
const raws: RawClient[] = [];

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.close();
  await emulator.close();
});

/** A handshaken JSON client of `user` on `hub`, with its public connection id. */
async function join(user: string, hub = 'chat'): Promise<{ client: RawClient; id: string }> {
  const { client, connectionId } = await RawClient.negotiated(emulator, clientToken(user, hub), hub);
  raws.push(client);
  await client.handshake();
  return { client, id: connectionId };
}

function invocations(client: RawClient, target: string): unknown[][] {
  return client
    .messages()
    .filter((m) => m['type'] === 1 && m['target'] === target)
    .map((m) => m['arguments'] as unknown[]);
}

/** Sends a marker broadcast and waits until every client has it, so earlier sends have landed. */
async function settle(...clients: RawClient[]): Promise<void> {
  await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, { target: 'marker', arguments: [] });
  await waitFor(() => clients.every((c) => invocations(c, 'marker').length > 0), 5000, 'marker');
}

const v = (path: string): string => `/api/hubs/chat${path}${path.includes('?') ? '&' : '?'}${API_VERSION}`;

describe('health', () => {
  it.each(['/api/health', '/api/v1/health', `/api/health?${API_VERSION}`])(
    '%s answers HEAD and GET without auth',
    async (path) => {
      expect((await rest(emulator, 'HEAD', path, undefined, { token: null })).status).toBe(200);
      expect((await rest(emulator, 'GET', path, undefined, { token: null })).status).toBe(200);
    },
  );
});

describe('2022-06-01 operations', () => {
  it('answers the swagger status codes for group and user management', async () => {
    const a = await join('alice');
    const calls: [string, string, number][] = [
      ['PUT', v(`/groups/g/connections/${a.id}`), 200],
      ['HEAD', v('/groups/g'), 200],
      ['DELETE', v(`/groups/g/connections/${a.id}`), 200],
      ['DELETE', v(`/connections/${a.id}/groups`), 200],
      ['PUT', v('/users/alice/groups/g2'), 200],
      ['HEAD', v('/users/alice/groups/g2'), 200],
      ['GET', v('/users/alice/groups/g2'), 200],
      ['DELETE', v('/users/alice/groups/g2'), 204],
      ['DELETE', v('/users/alice/groups'), 204],
      ['HEAD', v('/users/alice'), 200],
      ['HEAD', v(`/connections/${a.id}`), 200],
    ];
    for (const [method, path, status] of calls) {
      expect(`${method} ${path} ${(await rest(emulator, method, path)).status}`).toBe(`${method} ${path} ${status}`);
    }
  });

  it.each([
    ['HEAD', '/connections/nope', 'Warning.Connection.NotExisted'],
    ['DELETE', '/connections/nope', 'Warning.Connection.NotExisted'],
    ['HEAD', '/users/nobody', 'Warning.User.NotExisted'],
    ['HEAD', '/groups/empty', 'Warning.Group.NotExisted'],
    ['HEAD', '/users/nobody/groups/g', 'Info.User.NotInGroup'],
    ['PUT', '/groups/g/connections/nope', 'Error.Connection.NotExisted'],
  ])('%s %s answers 404 with x-ms-error-code %s', async (method, path, code) => {
    const response = await rest(emulator, method, v(path));
    expect(response.status).toBe(404);
    expect(response.headers.get('x-ms-error-code')).toBe(code);
  });

  it('sends to a user, a connection and a group; excluded may repeat', async () => {
    const a = await join('alice');
    const b = await join('bob');
    const c = await join('carol');
    for (const x of [a, b, c]) await rest(emulator, 'PUT', v(`/groups/room/connections/${x.id}`));
    expect((await rest(emulator, 'POST', v('/users/bob/:send'), { target: 'u', arguments: [1] })).status).toBe(202);
    expect(
      (await rest(emulator, 'POST', v(`/connections/${c.id}/:send`), { target: 'c', arguments: [2] })).status,
    ).toBe(202);
    const excluded = `/groups/room/:send?excluded=${a.id}&excluded=${b.id}`;
    expect((await rest(emulator, 'POST', v(excluded), { target: 'g', arguments: [3] })).status).toBe(202);
    const all = `/:send?excluded=${c.id}`;
    expect((await rest(emulator, 'POST', v(all), { target: 'all', arguments: [4] })).status).toBe(202);
    await settle(a.client, b.client, c.client);
    expect([invocations(a.client, 'u'), invocations(b.client, 'u'), invocations(c.client, 'u')]).toEqual([
      [],
      [[1]],
      [],
    ]);
    expect([invocations(a.client, 'c'), invocations(c.client, 'c')]).toEqual([[], [[2]]]);
    expect([invocations(a.client, 'g'), invocations(b.client, 'g'), invocations(c.client, 'g')]).toEqual([
      [],
      [],
      [[3]],
    ]);
    expect([invocations(a.client, 'all'), invocations(c.client, 'all')]).toEqual([[[4]], []]);
  });

  it('closes all, a group and a user’s connections with 204, honouring excluded', async () => {
    const a = await join('alice');
    const b = await join('bob');
    const c = await join('carol');
    const d = await join('dave');
    await rest(emulator, 'PUT', v(`/groups/room/connections/${b.id}`));
    expect((await rest(emulator, 'POST', v('/users/alice/:closeConnections?reason=r1'))).status).toBe(204);
    await a.client.closed;
    expect((await rest(emulator, 'POST', v('/groups/room/:closeConnections'))).status).toBe(204);
    await b.client.closed;
    expect((await rest(emulator, 'POST', v(`/:closeConnections?excluded=${d.id}`))).status).toBe(204);
    await c.client.closed;
    expect(a.client.messages().find((m) => m['type'] === 7)).toEqual({ type: 7, error: 'r1', allowReconnect: true });
    expect(b.client.messages().find((m) => m['type'] === 7)).toEqual({ type: 7, allowReconnect: true });
    await settle(d.client);
    expect(d.client.closeCode).toBeUndefined();
  });

  it('expires user-group membership after its ttl', async () => {
    expect((await rest(emulator, 'PUT', v('/users/tim/groups/g?ttl=1'))).status).toBe(200);
    expect((await rest(emulator, 'HEAD', v('/users/tim/groups/g'))).status).toBe(200);
    await waitFor(async () => (await rest(emulator, 'HEAD', v('/users/tim/groups/g'))).status === 404, 4000, 'expiry');
    expect((await rest(emulator, 'PUT', v('/users/tim/groups/g?ttl=-1'))).status).toBe(400);
  });

  it('prefixes the hub with the application name', async () => {
    const app = await join('alice', 'myapp_chat');
    const response = await rest(emulator, 'POST', `/api/hubs/Chat/:send?${API_VERSION}&application=MyApp`, {
      target: 'app',
      arguments: [],
    });
    expect(response.status).toBe(202);
    await waitFor(() => invocations(app.client, 'app').length === 1);
  });

  it('refuses bad hub and group names, bad bodies and bodies over 1 MB', async () => {
    expect((await rest(emulator, 'POST', `/api/hubs/1bad/:send?${API_VERSION}`, { target: 't' })).status).toBe(400);
    expect((await rest(emulator, 'PUT', v('/users/u/groups/%20%20'))).status).toBe(400);
    expect((await rest(emulator, 'POST', v('/:send'), { arguments: [] })).status).toBe(400);
    expect((await rest(emulator, 'POST', v('/:send'), { target: 't', arguments: 'x' })).status).toBe(400);
    expect((await rest(emulator, 'POST', v('/:send'), undefined, { rawBody: '{not json' })).status).toBe(400);
    const big = { target: 't', arguments: ['x'.repeat(1024 * 1024)] };
    expect((await rest(emulator, 'POST', v('/:send'), big)).status).toBe(413);
    expect((await rest(emulator, 'GET', v('/:send'))).status).toBe(405);
    expect((await rest(emulator, 'POST', '/api/nothing/here')).status).toBe(404);
  });

  it('accepts the SDK’s binary payload (a MessagePack map of pre-serialised frames)', async () => {
    const a = await join('alice');
    const json = Buffer.from('{"type":1,"target":"bin","arguments":["raw"]}\u001e');
    const body = Buffer.from(encode({ json }));
    const response = await rest(emulator, 'POST', v('/:send'), undefined, {
      rawBody: body,
      contentType: 'application/octet-stream',
    });
    expect(response.status).toBe(202);
    await waitFor(() => invocations(a.client, 'bin').length === 1);
    expect(invocations(a.client, 'bin')).toEqual([['raw']]);
  });
});

describe('v1 operations', () => {
  const v1 = (path: string): string => `/api/v1/hubs/chat${path}`;

  it('serves sends without :send and both argument orders, with v1 status codes', async () => {
    const a = await join('alice');
    const calls: [string, string, number][] = [
      ['POST', v1(''), 202],
      ['POST', v1('/users/alice'), 202],
      ['POST', v1(`/connections/${a.id}`), 202],
      ['PUT', v1(`/groups/g/connections/${a.id}`), 200],
      ['POST', v1('/groups/g'), 202],
      ['GET', v1('/groups/g'), 200],
      ['DELETE', v1(`/connections/${a.id}/groups/g`), 200],
      ['PUT', v1(`/connections/${a.id}/groups/g`), 200],
      ['PUT', v1('/groups/g2/users/alice?ttl=60'), 202],
      ['GET', v1('/groups/g2/users/alice'), 200],
      ['HEAD', v1('/users/alice/groups/g2'), 200],
      ['DELETE', v1('/groups/g2/users/alice'), 202],
      ['PUT', v1('/users/alice/groups/g3'), 202],
      ['DELETE', v1('/users/alice/groups'), 200],
      ['GET', v1('/users/alice'), 200],
      ['GET', v1(`/connections/${a.id}`), 200],
      ['GET', v1('/users/bob'), 404],
      ['DELETE', v1('/connections/unknown'), 202],
      ['DELETE', v1(`/connections/${a.id}?reason=done`), 202],
    ];
    for (const [method, path, status] of calls) {
      const body = method === 'POST' ? { target: 'x', arguments: [] } : undefined;
      expect(`${method} ${path} ${(await rest(emulator, method, path, body)).status}`).toBe(
        `${method} ${path} ${status}`,
      );
    }
    await a.client.closed;
    expect(invocations(a.client, 'x')).toHaveLength(4);
  });
});

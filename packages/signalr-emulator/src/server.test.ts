/** Block A: the real @microsoft/signalr client against the real emulator over WebSockets. */
import { type HubConnection, HubConnectionState } from '@microsoft/signalr';

import { signJwt } from './jwt';
import { type RunningEmulator, startEmulator } from './server';
import {
  API_VERSION,
  clientToken,
  collect,
  connectClient,
  KEY,
  nextInvocation,
  nowSeconds,
  rest,
  restToken,
  stopAll,
  waitFor,
} from './testing/helpers';

let emulator: RunningEmulator;
const clients: HubConnection[] = [];
const logLines: string[] = [];

beforeEach(async () => {
  logLines.length = 0;
  emulator = await startEmulator({ port: 0, log: (line) => logLines.push(line) });
});

afterEach(async () => {
  await stopAll(clients);
  await emulator.close();
});

async function connect(userId?: string, hub = 'chat'): Promise<HubConnection> {
  const connection = await connectClient(emulator, clientToken(userId, hub), { hub });
  clients.push(connection);
  return connection;
}

describe('startEmulator', () => {
  it('reports a localhost URL and the connection string for its port', () => {
    expect(emulator.url).toBe(`http://localhost:${emulator.port}`);
    expect(emulator.connectionString).toBe(
      `Endpoint=http://localhost;Port=${emulator.port};AccessKey=${KEY};Version=1.0;`,
    );
  });
});

describe('WebSocket clients and the REST API', () => {
  it('delivers a REST broadcast (2022-06-01 path, PascalCase body like the SDK) to a real client', async () => {
    const client = await connect('alice');
    expect(client.state).toBe(HubConnectionState.Connected);
    const received = nextInvocation(client, 'newMessage');
    const response = await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, {
      Target: 'newMessage',
      Arguments: [{ text: 'hello' }],
    });
    expect(response.status).toBe(202);
    expect(await received).toEqual([{ text: 'hello' }]);
  });

  it('delivers a broadcast on the v1 path and matches hubs case-insensitively', async () => {
    const client = await connect('alice', 'Chat');
    const received = nextInvocation(client, 'ping');
    const response = await rest(emulator, 'POST', '/api/v1/hubs/CHAT', { target: 'ping', arguments: [1, 'two'] });
    expect(response.status).toBe(202);
    expect(await received).toEqual([1, 'two']);
  });

  it('sends to one user only, on all of that user’s connections', async () => {
    const alice1 = await connect('alice');
    const alice2 = await connect('alice');
    const bob = await connect('bob');
    const bobGot = collect(bob, 'dm');
    const got = Promise.all([nextInvocation(alice1, 'dm'), nextInvocation(alice2, 'dm')]);
    const response = await rest(emulator, 'POST', `/api/hubs/chat/users/alice/:send?${API_VERSION}`, {
      target: 'dm',
      arguments: ['hi alice'],
    });
    expect(response.status).toBe(202);
    expect(await got).toEqual([['hi alice'], ['hi alice']]);
    // A later broadcast reaching bob proves the earlier user message was not just slow.
    const marker = nextInvocation(bob, 'marker');
    await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, { target: 'marker', arguments: [] });
    await marker;
    expect(bobGot).toEqual([]);
  });

  it('sends to a connection by its public id', async () => {
    const client = await connect('alice');
    const other = await connect('bob');
    const otherGot = collect(other, 'direct');
    const received = nextInvocation(client, 'direct');
    const response = await rest(
      emulator,
      'POST',
      `/api/hubs/chat/connections/${client.connectionId}/:send?${API_VERSION}`,
      { target: 'direct', arguments: [42] },
    );
    expect(response.status).toBe(202);
    expect(await received).toEqual([42]);
    expect(otherGot).toEqual([]);
  });

  it('sends to a group of connections, honouring excluded', async () => {
    const a = await connect('a');
    const b = await connect('b');
    const c = await connect('c');
    for (const client of [a, b]) {
      const put = await rest(
        emulator,
        'PUT',
        `/api/hubs/chat/groups/room1/connections/${client.connectionId}?${API_VERSION}`,
      );
      expect(put.status).toBe(200);
    }
    const cGot = collect(c, 'room');
    const bGot = collect(b, 'room');
    const received = nextInvocation(a, 'room');
    const send = await rest(
      emulator,
      'POST',
      `/api/hubs/chat/groups/room1/:send?${API_VERSION}&excluded=${b.connectionId}`,
      { target: 'room', arguments: ['x'] },
    );
    expect(send.status).toBe(202);
    expect(await received).toEqual(['x']);
    const marker = Promise.all([nextInvocation(b, 'marker'), nextInvocation(c, 'marker')]);
    await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, { target: 'marker', arguments: [] });
    await marker;
    expect(cGot).toEqual([]);
    expect(bGot).toEqual([]);
  });

  it('applies user-to-group membership to the user’s later connections, and removes it', async () => {
    const put = await rest(emulator, 'PUT', `/api/hubs/chat/users/carol/groups/room2?${API_VERSION}`);
    expect(put.status).toBe(200);
    const carol = await connect('carol');
    const received = nextInvocation(carol, 'room');
    await rest(emulator, 'POST', `/api/hubs/chat/groups/room2/:send?${API_VERSION}`, {
      target: 'room',
      arguments: [1],
    });
    expect(await received).toEqual([1]);

    const del = await rest(emulator, 'DELETE', `/api/hubs/chat/users/carol/groups/room2?${API_VERSION}`);
    expect(del.status).toBe(204);
    const head = await rest(emulator, 'HEAD', `/api/hubs/chat/users/carol/groups/room2?${API_VERSION}`);
    expect(head.status).toBe(404);
    expect(head.headers.get('x-ms-error-code')).toBe('Info.User.NotInGroup');
  });

  it('removes a connection from a group (DELETE) so it stops receiving group messages', async () => {
    const a = await connect('a');
    const path = `/api/hubs/chat/groups/g/connections/${a.connectionId}?${API_VERSION}`;
    expect((await rest(emulator, 'PUT', path)).status).toBe(200);
    expect((await rest(emulator, 'HEAD', `/api/hubs/chat/groups/g?${API_VERSION}`)).status).toBe(200);
    expect((await rest(emulator, 'DELETE', path)).status).toBe(200);
    const head = await rest(emulator, 'HEAD', `/api/hubs/chat/groups/g?${API_VERSION}`);
    expect(head.status).toBe(404);
    expect(head.headers.get('x-ms-error-code')).toBe('Warning.Group.NotExisted');
  });

  it('logs connection open/close and REST calls without tokens', async () => {
    const token = clientToken('alice');
    const client = await connectClient(emulator, token);
    await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, { target: 'x', arguments: [] });
    await client.stop();
    await waitFor(() => logLines.some((l) => l.startsWith('connection closed')), 5000, 'close log');
    expect(logLines.some((l) => l.startsWith('connection opened') && l.includes('user=alice'))).toBe(true);
    expect(logLines.some((l) => l.includes('REST POST /api/hubs/chat/:send -> 202'))).toBe(true);
    expect(logLines.join('\n')).not.toContain(token.split('.')[2]);
  });
});

describe('authentication', () => {
  it('refuses a client with a bad signature with 401 and a WWW-Authenticate challenge', async () => {
    const response = await fetch(`${emulator.url}/client/negotiate?hub=chat&negotiateVersion=1`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${clientToken('alice', 'chat', {}, 'wrong-key')}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="/);
    await expect(connectClient(emulator, clientToken('alice', 'chat', {}, 'wrong-key'))).rejects.toThrow(/401/);
  });

  it('refuses an expired client token with 401', async () => {
    const expired = clientToken('alice', 'chat', { exp: nowSeconds() - 3600, nbf: nowSeconds() - 7200 });
    await expect(connectClient(emulator, expired)).rejects.toThrow(/401/);
  });

  it('refuses a missing token and a client token used on REST', async () => {
    const none = await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, { target: 't' }, { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const wrongAudience = await rest(
      emulator,
      'POST',
      `/api/hubs/chat/:send?${API_VERSION}`,
      { target: 't' },
      { token: clientToken('alice') },
    );
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toContain('The audience is invalid');
  });

  it('accepts REST tokens whose audience carries a port or no query, and refuses other paths', async () => {
    const path = `/api/hubs/chat/:send?${API_VERSION}`;
    const withPort = signJwt({ aud: `http://localhost:${emulator.port}${path}`, exp: nowSeconds() + 60 }, KEY);
    expect((await rest(emulator, 'POST', path, { target: 't' }, { token: withPort })).status).toBe(202);
    const otherPath = restToken(`/api/hubs/other/:send?${API_VERSION}`);
    expect((await rest(emulator, 'POST', path, { target: 't' }, { token: otherPath })).status).toBe(401);
  });

  it('refuses a client token minted for another hub', async () => {
    await expect(connectClient(emulator, clientToken('alice', 'other'), { hub: 'chat' })).rejects.toThrow(/401/);
  });
});

describe('CORS on /client', () => {
  it('answers preflights echoing origin and requested headers, with credentials', async () => {
    const response = await fetch(`${emulator.url}/client/negotiate?hub=chat&negotiateVersion=1`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:4200',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,x-requested-with,x-signalr-user-agent',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization,x-requested-with,x-signalr-user-agent',
    );
  });

  it('echoes the origin on negotiate, which answers v1 and v0 bodies', async () => {
    const headers = { Origin: 'http://localhost:4200', Authorization: `Bearer ${clientToken('u')}` };
    const v1 = await fetch(`${emulator.url}/client/negotiate?hub=chat&negotiateVersion=1`, { method: 'POST', headers });
    expect(v1.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(v1.headers.get('access-control-allow-credentials')).toBe('true');
    const body1 = (await v1.json()) as Record<string, unknown>;
    expect(body1).toMatchObject({ negotiateVersion: 1 });
    expect(typeof body1['connectionToken']).toBe('string');
    expect(body1['connectionToken']).not.toBe(body1['connectionId']);
    expect((body1['availableTransports'] as { transport: string }[]).map((t) => t.transport)).toEqual([
      'WebSockets',
      'ServerSentEvents',
      'LongPolling',
    ]);
    const v0 = await fetch(`${emulator.url}/client/negotiate?hub=chat`, { method: 'POST', headers });
    const body0 = (await v0.json()) as Record<string, unknown>;
    expect(body0['connectionToken']).toBeUndefined();
    expect(typeof body0['connectionId']).toBe('string');
    expect(body0['useStatefulReconnect']).toBeUndefined();
  });
});

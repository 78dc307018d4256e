import { verifyJwt } from '@hubbub/signalr-emulator';

import { devUserId } from './easy-auth';
import {
  connectionStringFor,
  login,
  type RecordingServer,
  startFixtureHost,
  startRecordingServer,
  TEST_ACCESS_KEY,
  type TestHost,
} from './testing/helpers';

interface ConnectionInfo {
  url: string;
  accessToken: string;
}

describe('local Functions host: SignalR input and output bindings', () => {
  let service: RecordingServer;
  let host: TestHost;
  let alice: string;

  beforeAll(async () => {
    service = await startRecordingServer();
    host = await startFixtureHost('basic-app', {
      values: { AzureSignalRConnectionString: connectionStringFor(service.port) },
    });
    alice = await login(host, 'Alice');
  });
  afterAll(async () => {
    await host.close();
    await service.close();
  });
  beforeEach(() => {
    service.requests.length = 0;
    service.respond = () => ({ status: 202 });
  });

  describe('signalRConnectionInfo', () => {
    it('mints the client URL and token as the extension does, for the signed-in user', async () => {
      const response = await fetch(`${host.url}/api/negotiate?negotiateVersion=1`, {
        method: 'POST',
        headers: { cookie: alice },
      });
      expect(response.status).toBe(200);
      const info = (await response.json()) as ConnectionInfo;
      expect(info.url).toBe(`http://localhost:${service.port}/client/?hub=chat`);
      const verified = verifyJwt(info.accessToken, TEST_ACCESS_KEY);
      if (!verified.ok) throw new Error(verified.reason);
      const claims = verified.payload;
      // No port in the audience, hub lower-cased (docs/signalr-service-contract.md §1.2, §2.2).
      expect(claims.aud).toBe('http://localhost/client/?hub=chat');
      expect(claims['asrs.s.uid']).toBe(devUserId('Alice'));
      expect(claims.nbf).toBe(claims.iat);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
      expect(Math.abs((claims.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
      expect(JSON.parse(Buffer.from(info.accessToken.split('.')[0], 'base64url').toString())).toMatchObject({
        alg: 'HS256',
      });
    });

    it('answers 401 when the binding needs the principal and nobody is signed in', async () => {
      const response = await fetch(`${host.url}/api/negotiate`, { method: 'POST' });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthenticated', message: 'Sign in first' } });
    });

    it('never lets a client-sent principal header reach the binding', async () => {
      const response = await fetch(`${host.url}/api/negotiate`, {
        method: 'POST',
        headers: { 'x-ms-client-principal-id': 'mallory', 'X-MS-CLIENT-PRINCIPAL-NAME': 'Mallory' },
      });
      expect(response.status).toBe(401);
    });

    it('resolves {query.x} and fails like the host when the query value is missing', async () => {
      const withUid = (await (
        await fetch(`${host.url}/api/negotiateByQuery?uid=bob`, { method: 'POST' })
      ).json()) as ConnectionInfo;
      const verified = verifyJwt(withUid.accessToken, TEST_ACCESS_KEY);
      expect(verified.ok && verified.payload['asrs.s.uid']).toBe('bob');

      const without = await fetch(`${host.url}/api/negotiateByQuery`, { method: 'POST' });
      expect(without.status).toBe(500);
      expect(await without.json()).toEqual({
        error: { code: 'internal', message: "Error while accessing 'uid': property doesn't exist." },
      });
    });

    it('leaves asrs.s.uid out when the binding has no userId, and uses the default connection setting', async () => {
      const info = (await (
        await fetch(`${host.url}/api/negotiateAnonymous`, { method: 'POST' })
      ).json()) as ConnectionInfo;
      const verified = verifyJwt(info.accessToken, TEST_ACCESS_KEY);
      expect(verified.ok).toBe(true);
      expect(verified.ok && Object.keys(verified.payload).sort()).toEqual(['aud', 'exp', 'iat', 'nbf']);
    });

    it('takes the token lifetime from AzureSignalRTokenLifetimeSeconds', async () => {
      process.env['AzureSignalRTokenLifetimeSeconds'] = '120';
      try {
        const info = (await (
          await fetch(`${host.url}/api/negotiateAnonymous`, { method: 'POST' })
        ).json()) as ConnectionInfo;
        const verified = verifyJwt(info.accessToken, TEST_ACCESS_KEY);
        expect(verified.ok && (verified.payload.exp ?? 0) - (verified.payload.iat ?? 0)).toBe(120);
      } finally {
        delete process.env['AzureSignalRTokenLifetimeSeconds'];
      }
    });

    it('never logs the token', async () => {
      const info = (await (
        await fetch(`${host.url}/api/negotiate`, { method: 'POST', headers: { cookie: alice } })
      ).json()) as ConnectionInfo;
      expect(host.logs.join('\n')).not.toContain(info.accessToken);
      expect(host.logs.join('\n')).not.toContain(alice.split('=')[1]);
    });
  });

  describe('signalR output', () => {
    const post = (actions: unknown) =>
      fetch(`${host.url}/api/actions`, { method: 'POST', headers: { cookie: alice }, body: JSON.stringify(actions) });

    it('turns messages and group actions into REST calls, in order, with the SDK body and token', async () => {
      const response = await post([
        { target: 'newMessage', arguments: [{ text: 'hi' }] },
        { target: 'toUser', arguments: [1], userId: 'u 1' },
        { target: 'toGroup', arguments: [], groupName: 'room:lobby' },
        { target: 'toConnection', arguments: ['x'], connectionId: 'c1', userId: 'ignored', groupName: 'ignored' },
        { action: 'add', groupName: 'lobby', userId: 'u1' },
        { action: 'remove', groupName: 'lobby', userId: 'u1' },
        { action: 'removeAll', userId: 'u1' },
        { action: 'add', groupName: 'lobby', connectionId: 'c1' },
        { action: 'remove', groupName: 'lobby', connectionId: 'c1' },
        { action: 'removeAll', connectionId: 'c1' },
        { Target: 'pascal', Arguments: [true] },
      ]);
      expect(response.status).toBe(202);
      const q = '?api-version=2022-06-01';
      expect(service.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST /api/hubs/chat/:send${q}`,
        `POST /api/hubs/chat/users/u%201/:send${q}`,
        `POST /api/hubs/chat/groups/room%3Alobby/:send${q}`,
        `POST /api/hubs/chat/connections/c1/:send${q}`,
        `PUT /api/hubs/chat/users/u1/groups/lobby${q}`,
        `DELETE /api/hubs/chat/users/u1/groups/lobby${q}`,
        `DELETE /api/hubs/chat/users/u1/groups${q}`,
        `PUT /api/hubs/chat/groups/lobby/connections/c1${q}`,
        `DELETE /api/hubs/chat/groups/lobby/connections/c1${q}`,
        `POST /api/hubs/chat/:send${q}`,
      ]);
      const first = service.requests[0];
      expect(first?.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(first?.body ?? '')).toEqual({ Target: 'newMessage', Arguments: [{ text: 'hi' }] });
      expect(JSON.parse(service.requests[9]?.body ?? '')).toEqual({ Target: 'pascal', Arguments: [true] });
      expect(service.requests[4]?.body).toBe('');

      for (const request of service.requests) {
        const token = String(request.headers.authorization).replace(/^Bearer /, '');
        const verified = verifyJwt(token, TEST_ACCESS_KEY);
        if (!verified.ok) throw new Error(verified.reason);
        const path = request.url.split('?')[0].slice(1);
        expect(verified.payload.aud).toBe(`http://localhost/${path}${q}`);
        expect(verified.payload['nameid']).toEqual(expect.any(String));
        expect((verified.payload.exp ?? 0) - (verified.payload.iat ?? 0)).toBe(3600);
      }
    });

    it('accepts a single object as well as an array', async () => {
      const response = await post({ target: 'one', arguments: [] });
      expect(response.status).toBe(202);
      expect(service.requests).toHaveLength(1);
    });

    it('fails the invocation with 500 when the service answers an error, and logs why without the token', async () => {
      service.respond = () => ({
        status: 400,
        headers: { 'x-ms-error-code': 'Error.Bad.Thing' },
        body: '{"code":"bad"}',
      });
      const response = await post([
        { target: 'a', arguments: [] },
        { target: 'b', arguments: [] },
      ]);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: { code: 'internal', message: 'Exception while executing function: Functions.actions' },
      });
      expect(service.requests).toHaveLength(1);
      const logged = host.logs.find((l) => l.includes('answered 400 (Error.Bad.Thing)'));
      expect(logged).toBeDefined();
      expect(logged).not.toContain(String(service.requests[0]?.headers.authorization).slice(7));
    });

    it('treats 404 Error.Connection.NotExisted on add-connection-to-group as done, as the SDK does', async () => {
      service.respond = (r) =>
        r.method === 'PUT'
          ? { status: 404, headers: { 'x-ms-error-code': 'Error.Connection.NotExisted' } }
          : { status: 202 };
      const ok = await post([
        { action: 'add', groupName: 'g', connectionId: 'gone' },
        { target: 'after', arguments: [] },
      ]);
      expect(ok.status).toBe(202);
      expect(service.requests).toHaveLength(2);

      service.requests.length = 0;
      service.respond = () => ({ status: 404 });
      const bare = await post([{ action: 'add', groupName: 'g', connectionId: 'gone' }]);
      expect(bare.status).toBe(500);
    });

    it('fails with 500 when the service cannot be reached', async () => {
      const saved = process.env['AzureSignalRConnectionString'];
      const closed = await startRecordingServer();
      await closed.close();
      process.env['AzureSignalRConnectionString'] = connectionStringFor(closed.port);
      try {
        const response = await post([{ target: 'a', arguments: [] }]);
        expect(response.status).toBe(500);
        expect(host.logs.some((l) => l.includes('could not be reached'))).toBe(true);
      } finally {
        process.env['AzureSignalRConnectionString'] = saved;
      }
    });

    it('rejects items that are neither messages nor group actions', async () => {
      for (const bad of [
        [{ hello: 1 }],
        [{ target: 'x', arguments: 'no' }],
        [{ action: 'add', groupName: 'g' }],
        ['text'],
      ]) {
        const response = await post(bad);
        expect(response.status).toBe(500);
      }
      expect(service.requests).toHaveLength(0);
      expect(host.logs.some((l) => l.includes('ConnectionId and UserId cannot be null or empty together'))).toBe(true);
    });
  });
});

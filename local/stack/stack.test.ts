/**
 * The whole serverless path with real parts: the real `@microsoft/signalr` Node client negotiates
 * through our Functions host (dev login cookie → `negotiate` → `{ url, accessToken }` redirect),
 * connects to our SignalR emulator, and receives what `POST /api/messages` broadcasts through the
 * output binding; Azurite stores it. Needs the compiled app (npm run build:api).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { type HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';

import { type PushReceiver, startPushReceiver } from '../../functions/testing/push-receiver';
import { freePort } from './ports';
import { type RunningStack, stackVapidKeys, startStack } from './stack';

const root = resolve(__dirname, '../..');
let stack: RunningStack;
let dataDir: string;
let receiver: PushReceiver;
const connections: HubConnection[] = [];

beforeAll(async () => {
  if (!existsSync(join(root, 'packages/functions-host/dist/cli.js'))) throw new Error('Run npm run build:api first');
  dataDir = await mkdtemp(join(tmpdir(), 'hubbub-stack-'));
  // The push service the app may post to: a local receiver checking the stack's own VAPID keys.
  receiver = await startPushReceiver((await stackVapidKeys(dataDir)).HUBBUB_VAPID_SUBJECT);
  stack = await startStack({
    root,
    dataDir,
    ports: { spa: 0, functions: await freePort(), signalr: await freePort(), tables: await freePort() },
    spa: 'none',
    log: () => undefined,
    values: { HUBBUB_PUSH_ENDPOINT_ORIGINS: receiver.origin },
  });
}, 90_000);

afterAll(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await stack?.stop();
  await receiver?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function signIn(name: string): Promise<string> {
  const response = await fetch(`${stack.urls.api}/.auth/login/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, post_login_redirect_uri: '/' }),
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

function connect(cookie: string): HubConnection {
  const connection = new HubConnectionBuilder()
    .withUrl(`${stack.urls.api}/api`, { headers: { cookie } })
    .configureLogging(LogLevel.None)
    .build();
  connections.push(connection);
  return connection;
}

describe('the serverless path, end to end', () => {
  it('negotiates through the Functions host, connects to the emulator and receives a broadcast message', async () => {
    const cookie = await signIn('Dana');
    const connection = connect(cookie);
    const received = new Promise<{ text: string; sender: { name: string } }>((done) =>
      connection.on('newMessage', done),
    );
    await connection.start();
    expect(connection.state).toBe(HubConnectionState.Connected);

    const response = await fetch(`${stack.urls.api}/api/messages`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'stack-test-1', room: 'general', text: 'through every layer' }),
    });
    expect(response.status).toBe(201);
    await expect(received).resolves.toMatchObject({ text: 'through every layer', sender: { name: 'Dana' } });
  });

  it('pushes a direct message to a person with no connection, through the queue trigger', async () => {
    const [gus, hal] = [await signIn('Gus'), await signIn('Hal')];
    const api = (cookie: string, path: string, body?: unknown) =>
      fetch(`${stack.urls.api}/api/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const halId = ((await (await api(hal, 'me')).json()) as { id: string }).id;
    expect((await api(hal, 'negotiate', {})).status).toBe(200); // Hal is known, then leaves
    const device = receiver.subscribe();
    expect((await api(hal, 'push/subscriptions', device)).status).toBe(201);
    const dm = (await (await api(gus, 'dms', { userId: halId })).json()) as { name: string };
    expect((await api(gus, 'messages', { id: 'stack-push-1', room: dm.name, text: 'are you there?' })).status).toBe(
      201,
    );
    const [push] = await receiver.waitFor(device, 1, 30_000);
    expect(push.payload).toMatchObject({
      room: dm.name,
      sender: { name: 'Gus' },
      excerpt: 'are you there?',
      reason: 'dm',
    });
  });

  it('refuses to negotiate without a signed-in user', async () => {
    const response = await fetch(`${stack.urls.api}/api/negotiate`, { method: 'POST' });
    expect(response.status).toBe(401);
    await expect(response.json()).resolves.toMatchObject({ error: { code: 'unauthenticated' } });
    await expect(connect('AppServiceAuthSession=forged').start()).rejects.toThrow(/401/);
  });

  it('ignores principal headers a client sends itself', async () => {
    const response = await fetch(`${stack.urls.api}/api/me`, {
      headers: {
        'x-ms-client-principal-id': 'admin',
        'x-ms-client-principal-name': 'Admin',
        'x-ms-client-principal-idp': 'aad',
      },
    });
    expect(response.status).toBe(401);
  });

  it('has the service refuse a token that was not minted with its key', async () => {
    const negotiate = await fetch(`${stack.urls.api}/api/negotiate`, {
      method: 'POST',
      headers: { cookie: await signIn('Eve') },
    });
    const { url, accessToken } = (await negotiate.json()) as { url: string; accessToken: string };
    const [header, payload] = accessToken.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const negotiateUrl = new URL(url);
    negotiateUrl.pathname = negotiateUrl.pathname.replace(/\/?$/, '/negotiate');
    const refused = await fetch(negotiateUrl, { method: 'POST', headers: { authorization: `Bearer ${forged}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/invalid_token/);
    const accepted = await fetch(negotiateUrl, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    expect(accepted.status).toBe(200);
  });
});

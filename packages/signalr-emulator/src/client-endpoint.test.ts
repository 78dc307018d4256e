/** Status codes and token locations of the /client endpoint (docs/signalr-service-contract.md §2.4-2.5). */
import http from 'node:http';

import { type RunningEmulator, startEmulator } from './server';
import { API_VERSION, clientToken, RawClient, rest, waitFor } from './testing/helpers';

let emulator: RunningEmulator;
const raws: RawClient[] = [];

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, longPollTimeoutMs: 2000 });
});

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.close();
  await emulator.close();
});

const auth = (token = clientToken('u')): Record<string, string> => ({ Authorization: `Bearer ${token}` });

async function negotiate(token = clientToken('u')): Promise<{ connectionId: string; connectionToken: string }> {
  const response = await fetch(`${emulator.url}/client/negotiate?hub=chat&negotiateVersion=1`, {
    method: 'POST',
    headers: auth(token),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { connectionId: string; connectionToken: string };
}

function client(query: string): string {
  return `${emulator.url}/client/?${query}`;
}

describe('negotiate', () => {
  it('refuses other methods, a missing hub and a repeated hub', async () => {
    expect((await fetch(`${emulator.url}/client/negotiate?hub=chat`, { headers: auth() })).status).toBe(405);
    const post = (q: string): Promise<Response> =>
      fetch(`${emulator.url}/client/negotiate?${q}`, { method: 'POST', headers: auth() });
    expect((await post('negotiateVersion=1')).status).toBe(400);
    expect((await post('hub=chat&hub=other')).status).toBe(400);
  });

  it('takes the token from the Authorization header only', async () => {
    const token = encodeURIComponent(clientToken('u'));
    const response = await fetch(`${emulator.url}/client/negotiate?hub=chat&access_token=${token}`, { method: 'POST' });
    expect(response.status).toBe(401);
  });
});

describe('transport requests', () => {
  it('answers 400 without id, 404 for an unknown id', async () => {
    expect((await fetch(client('hub=chat'), { headers: auth() })).status).toBe(400);
    expect((await fetch(client('hub=chat&id=nope'), { headers: auth() })).status).toBe(404);
    expect((await fetch(client('hub=chat&id=nope'), { method: 'POST', headers: auth(), body: 'x' })).status).toBe(404);
    await expect(RawClient.connect(emulator, 'hub=chat&id=nope')).rejects.toThrow('HTTP 404');
  });

  it('answers 404 when the id belongs to another hub', async () => {
    const { connectionToken } = await negotiate();
    const token = clientToken('u', 'other');
    const response = await fetch(client(`hub=other&id=${connectionToken}`), { headers: auth(token) });
    expect(response.status).toBe(404);
  });

  it('refuses a second WebSocket for the same id with 409', async () => {
    const { connectionToken } = await negotiate();
    const first = await RawClient.connect(emulator, `hub=chat&id=${connectionToken}`);
    raws.push(first);
    await expect(RawClient.connect(emulator, `hub=chat&id=${connectionToken}`)).rejects.toThrow('HTTP 409');
    await first.handshake();
  });

  it('accepts a WebSocket without negotiate (skipNegotiation)', async () => {
    const raw = await RawClient.connect(emulator, 'hub=chat');
    raws.push(raw);
    await raw.handshake();
    const exists = await rest(emulator, 'HEAD', `/api/hubs/chat/users/raw?${API_VERSION}`);
    expect(exists.status).toBe(200);
  });

  it('reads the WebSocket token from access_token when there is no header', async () => {
    const raw = await RawClient.connect(
      emulator,
      `hub=chat&access_token=${encodeURIComponent(clientToken('q'))}`,
      null,
    );
    raws.push(raw);
    await raw.handshake();
    await expect(RawClient.connect(emulator, 'hub=chat', null)).rejects.toThrow('HTTP 401');
  });

  it('reads the SSE token from the query, but never a long-polling token', async () => {
    const { connectionToken } = await negotiate();
    const token = encodeURIComponent(clientToken('u'));
    const lp = await fetch(client(`hub=chat&id=${connectionToken}&access_token=${token}`));
    expect(lp.status).toBe(401);
    const controller = new AbortController();
    const sse = await fetch(client(`hub=chat&id=${connectionToken}&access_token=${token}`), {
      headers: { Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    controller.abort();
  });

  it('refuses POST on a WebSocket connection with 405', async () => {
    const { connectionToken } = await negotiate();
    const raw = await RawClient.connect(emulator, `hub=chat&id=${connectionToken}`);
    raws.push(raw);
    const post = await fetch(client(`hub=chat&id=${connectionToken}`), { method: 'POST', headers: auth(), body: 'x' });
    expect(post.status).toBe(405);
  });

  it('refuses overlapping POSTs with 409', async () => {
    const { connectionToken } = await negotiate();
    // Long polling: the first GET confirms the connection.
    expect((await fetch(client(`hub=chat&id=${connectionToken}`), { headers: auth() })).status).toBe(200);
    const url = new URL(client(`hub=chat&id=${connectionToken}`));
    // A POST whose body never finishes keeps the send "in progress".
    const slow = http.request(url, { method: 'POST', headers: { ...auth(), 'Content-Length': '100' } });
    slow.on('error', () => undefined);
    slow.write('{"protocol":"json",');
    let second: Response | undefined;
    await waitFor(async () => {
      // Empty bodies are harmless until the slow POST has arrived and makes them conflict.
      second = await fetch(url, { method: 'POST', headers: auth(), body: '' });
      return second.status === 409;
    });
    slow.destroy();
  });

  it('ends an open long poll with 204 when a newer poll arrives', async () => {
    const { connectionToken } = await negotiate();
    const url = client(`hub=chat&id=${connectionToken}`);
    expect((await fetch(url, { headers: auth() })).status).toBe(200);
    const first = fetch(url, { headers: auth() });
    const second = fetch(url, { headers: auth() });
    // Whichever poll the server saw first is ended with 204; the other waits (then 200, no data).
    const statuses = (await Promise.all([first, second])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 204]);
  });

  it('completes a long-polling handshake over POST and delivers the reply on the next poll', async () => {
    const { connectionToken } = await negotiate();
    const url = client(`hub=chat&id=${connectionToken}`);
    expect((await fetch(url, { headers: auth() })).status).toBe(200);
    const post = await fetch(url, { method: 'POST', headers: auth(), body: '{"protocol":"json","version":1}\u001e' });
    expect(post.status).toBe(200);
    const poll = await fetch(url, { headers: auth() });
    expect(poll.status).toBe(200);
    expect(await poll.text()).toBe('{}\u001e');
    const del = await fetch(url, { method: 'DELETE', headers: auth() });
    expect(del.status).toBe(202);
    const after = await fetch(url, { headers: auth() });
    expect(after.status).toBe(204);
  });

  it('answers 401 to long-polling requests once the token has expired', async () => {
    const { connectionToken } = await negotiate();
    const url = client(`hub=chat&id=${connectionToken}`);
    const expired = clientToken('u', 'chat', { exp: Math.floor(Date.now() / 1000) - 3600 });
    const poll = await fetch(url, { headers: auth(expired) });
    expect(poll.status).toBe(401);
  });
});

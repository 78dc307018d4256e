/**
 * The emulator against pages and processes it should not trust: browser origins are checked on
 * negotiate, preflight, WebSocket upgrade and SSE/long-polling connects; the published key is
 * refused beyond loopback; tokens without `exp` are refused; slow SSE readers are cut off.
 */
import type { ServerResponse } from 'node:http';
import http from 'node:http';

import WebSocket from 'ws';

import type { ClientConnection } from './connection';
import { DEFAULT_EMULATOR_ACCESS_KEY } from './connection-string';
import { signJwt } from './jwt';
import { originAllowed, parseOrigins } from './origins';
import { type RunningEmulator, startEmulator } from './server';
import { clientToken, KEY } from './testing/helpers';
import { ServerSentEventsTransport } from './transports/server-sent-events';
import { DEFAULT_MAX_BUFFERED_BYTES } from './transports/transport';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with any headers, Origin included (fetch may not send an arbitrary Origin). */
function send(url: string, method: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The status of a WebSocket handshake: 101 when accepted, else the refusal's status. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => resolve(0));
  });
}

describe('emulator origin allow-list', () => {
  let emulator: RunningEmulator;
  const token = clientToken('u-1');
  const negotiate = (origin?: string) =>
    send(`${emulator.url}/client/negotiate?hub=chat&negotiateVersion=1`, 'POST', {
      authorization: `Bearer ${token}`,
      ...(origin ? { origin } : {}),
    });

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator.close());

  it('lets loopback pages (any port) and non-browser clients negotiate', async () => {
    for (const origin of ['http://localhost:4200', 'http://127.0.0.1:7071', 'http://[::1]:1234', undefined]) {
      const answer = await negotiate(origin);
      expect(answer.status).toBe(200);
      if (origin) expect(answer.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it('refuses any other page with 403 and no CORS headers, preflight included', async () => {
    for (const origin of ['http://evil.example', 'null', 'https://localhost.evil.example', 'file://']) {
      const answer = await negotiate(origin);
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    const preflight = await send(`${emulator.url}/client/negotiate?hub=chat`, 'OPTIONS', {
      origin: 'http://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a WebSocket from another page before looking at the token', async () => {
    const url = `${emulator.url.replace('http', 'ws')}/client/?hub=chat&access_token=${token}`;
    expect(await upgradeStatus(url, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(url, 'http://localhost:4200')).toBe(101);
    expect(await upgradeStatus(url)).toBe(101);
  });

  it('refuses Server-Sent Events and long polling from another page', async () => {
    const { connectionToken } = JSON.parse((await negotiate()).body) as { connectionToken: string };
    const url = `${emulator.url}/client/?hub=chat&id=${connectionToken}&access_token=${token}`;
    expect((await send(url, 'GET', { accept: 'text/event-stream', origin: 'http://evil.example' })).status).toBe(403);
    expect((await send(url, 'GET', { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses REST calls from another page, whatever the token', async () => {
    const url = `${emulator.url}/api/hubs/chat/:send?api-version=2022-06-01`;
    const answer = await send(url, 'POST', { origin: 'http://evil.example', 'content-type': 'application/json' });
    expect(answer.status).toBe(403);
  });

  it('uses only the configured origins when given', async () => {
    const configured = await startEmulator({ port: 0, allowedOrigins: parseOrigins('https://chat.example') });
    try {
      const url = `${configured.url}/client/negotiate?hub=chat`;
      const auth = { authorization: `Bearer ${token}` };
      expect((await send(url, 'POST', { ...auth, origin: 'https://chat.example' })).status).toBe(200);
      expect((await send(url, 'POST', { ...auth, origin: 'http://localhost:4200' })).status).toBe(403);
    } finally {
      await configured.close();
    }
  });

  it('matches origins exactly, by port wildcard or by *', () => {
    expect(originAllowed('https://a.example', ['https://a.example'])).toBe(true);
    expect(originAllowed('https://a.example:8443', ['https://a.example'])).toBe(false);
    expect(originAllowed('https://a.example:8443', ['https://a.example:*'])).toBe(true);
    expect(originAllowed('http://a.example:8443', ['https://a.example:*'])).toBe(false);
    expect(originAllowed('http://anything', ['*'])).toBe(true);
    expect(() => parseOrigins('https://a.example/path')).toThrow(/not an http\(s\) origin/);
    expect(() => parseOrigins('not a url')).toThrow(/not an origin/);
  });
});

describe('emulator access key and tokens', () => {
  it('refuses to listen beyond loopback with the published key, and listens with a key of its own', async () => {
    await expect(startEmulator({ port: 0, host: '0.0.0.0' })).rejects.toThrow(/publishes/);
    await expect(startEmulator({ port: 0, host: '0.0.0.0', accessKey: DEFAULT_EMULATOR_ACCESS_KEY })).rejects.toThrow(
      /--access-key/,
    );
    const own = await startEmulator({ port: 0, host: '0.0.0.0', accessKey: 'a-key-of-my-own-0123456789' });
    await own.close();
  });

  it('refuses a token without exp on negotiate and WebSocket connect', async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      const forever = signJwt({ aud: 'http://localhost/client/?hub=chat', 'asrs.s.uid': 'u-1' }, KEY);
      const answer = await send(`${emulator.url}/client/negotiate?hub=chat`, 'POST', {
        authorization: `Bearer ${forever}`,
      });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toContain('no expiry');
      const ws = `${emulator.url.replace('http', 'ws')}/client/?hub=chat&access_token=${forever}`;
      expect(await upgradeStatus(ws)).toBe(401);
    } finally {
      await emulator.close();
    }
  });
});

describe('Server-Sent Events buffer cap', () => {
  it('cuts a stream whose reader has fallen more than the cap behind, as WebSockets do', () => {
    const writes: string[] = [];
    let destroyed = false;
    const response = {
      writableEnded: false,
      destroyed: false,
      writableLength: 0,
      writeHead: () => response,
      write: (chunk: string) => writes.push(chunk),
      on: () => response,
      destroy: () => {
        destroyed = true;
      },
      end: () => undefined,
    };
    const aborts: (string | undefined)[] = [];
    const connection = {
      maxBufferedBytes: DEFAULT_MAX_BUFFERED_BYTES,
      abort: (error?: string) => aborts.push(error),
    } as unknown as ClientConnection;
    const transport = new ServerSentEventsTransport(response as unknown as ServerResponse, connection, {});
    const message = { sse: () => 'data: {}\r\n\r\n' } as unknown as Parameters<ServerSentEventsTransport['send']>[0];
    const protocol = {} as Parameters<ServerSentEventsTransport['send']>[1];
    transport.send(message, protocol);
    expect(writes).toHaveLength(2); // the opening comment and the message
    response.writableLength = DEFAULT_MAX_BUFFERED_BYTES;
    transport.send(message, protocol);
    expect(destroyed).toBe(false); // at the bound, not past it
    response.writableLength = DEFAULT_MAX_BUFFERED_BYTES + 1;
    transport.send(message, protocol);
    expect(destroyed).toBe(true);
    expect(writes).toHaveLength(3);
    expect(aborts).toEqual([expect.stringContaining('did not keep up')]);
  });
});

/** Upstream webhook (docs/signalr-service-contract.md §4) against a real HTTP server standing in for the Functions host. */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { HttpTransportType, type HubConnection } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { decode, encode } from '@msgpack/msgpack';

import { type RunningEmulator, startEmulator } from './server';
import { clientToken, connectClient, KEY, stopAll, waitFor } from './testing/helpers';
import { matchesPattern, parseUpstreamSettings, resolveUpstreamUrl } from './upstream';

interface Recorded {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A stand-in Functions host: records each call and answers with `reply`. */
class FakeUpstream {
  readonly calls: Recorded[] = [];
  reply: (
    call: Recorded,
  ) => Promise<{ status: number; body?: Buffer | string }> | { status: number; body?: Buffer | string } = () => ({
    status: 200,
  });
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      this.calls.push(call);
      void Promise.resolve(this.reply(call)).then(({ status, body }) => {
        res.writeHead(status);
        res.end(body);
      });
    });
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(pathname = '/runtime/webhooks/signalr'): string {
    return `http://127.0.0.1:${this.port}${pathname}`;
  }

  events(): string[] {
    return this.calls.map((c) => `${c.headers['x-asrs-category']}/${c.headers['x-asrs-event']}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let dir: string;
let settingsFile: string;
let upstream: FakeUpstream;
let emulator: RunningEmulator;
const clients: HubConnection[] = [];

function writeSettings(templates: object[]): void {
  fs.writeFileSync(settingsFile, JSON.stringify({ UpstreamSettings: { Templates: templates } }));
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upstream-'));
  settingsFile = path.join(dir, 'settings.json');
  upstream = await new FakeUpstream().start();
  writeSettings([{ UrlTemplate: upstream.url(), EventPattern: '*', HubPattern: '*', CategoryPattern: '*' }]);
  emulator = await startEmulator({ port: 0, upstreamSettingsFile: settingsFile });
});

afterEach(async () => {
  await stopAll(clients);
  await emulator.close();
  await upstream.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function connect(userId = 'alice', msgpack = false): Promise<HubConnection> {
  const client = await connectClient(emulator, clientToken(userId, 'chat', { role: 'admin' }), {
    configure: (b) => (msgpack ? b.withHubProtocol(new MessagePackHubProtocol()) : b),
  });
  clients.push(client);
  return client;
}

describe('settings', () => {
  it('parses the Microsoft emulator format and matches patterns in order', () => {
    const templates = parseUpstreamSettings(
      JSON.stringify({
        UpstreamSettings: {
          Templates: [
            {
              UrlTemplate: 'http://a/{hub}/{category}/{event}',
              HubPattern: 'chat',
              CategoryPattern: 'messages',
              EventPattern: 'send,typing',
            },
            { UrlTemplate: 'http://b/', EventPattern: '*', HubPattern: '*', CategoryPattern: '*' },
          ],
        },
      }),
    );
    expect(resolveUpstreamUrl(templates, 'chat', 'messages', 'Send')).toBe('http://a/chat/messages/Send');
    expect(resolveUpstreamUrl(templates, 'chat', 'messages', 'a b')).toBe('http://b/');
    expect(resolveUpstreamUrl(templates.slice(0, 1), 'chat', 'connections', 'connected')).toBeUndefined();
    expect(matchesPattern('x, y', 'Y')).toBe(true);
  });
});

describe('events', () => {
  it('posts connected with the X-ASRS headers, a valid signature and {"type":10}', async () => {
    const client = await connect('alice');
    await waitFor(() => upstream.calls.length === 1, 5000, 'connected event');
    const [call] = upstream.calls as [Recorded];
    expect(call.headers).toMatchObject({
      'x-asrs-connection-id': client.connectionId,
      'x-asrs-hub': 'chat',
      'x-asrs-category': 'connections',
      'x-asrs-event': 'connected',
      'x-asrs-user-id': 'alice',
      'content-type': 'application/json',
    });
    const expected = createHmac('sha256', Buffer.from(KEY, 'utf8'))
      .update(client.connectionId as string)
      .digest('hex');
    expect(call.headers['x-asrs-signature']).toBe(`sha256=${expected}`);
    expect(call.headers['x-asrs-user-claims']).toContain('asrs.s.uid: alice');
    expect(call.headers['x-asrs-user-claims']).toContain('role: admin');
    expect(call.headers['x-asrs-client-query']).toMatch(/^\?hub=chat&id=/);
    expect(call.headers['x-asrs-client-query']).not.toContain('access_token');
    expect(JSON.parse(call.body.toString())).toEqual({ type: 10 });
  });

  it('posts invocations unframed, in order, even when the upstream answers out of order', async () => {
    const client = await connect();
    await waitFor(() => upstream.calls.length === 1);
    upstream.reply = async () => {
      // Later calls answer faster; the emulator must still send one at a time.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      return { status: 200 };
    };
    for (let i = 0; i < 20; i++) await client.send('typing', i);
    await waitFor(() => upstream.calls.length === 21, 5000, '20 messages');
    const messages = upstream.calls.slice(1);
    expect(messages.map((c) => c.headers['x-asrs-category'])).toEqual(Array(20).fill('messages'));
    expect(messages.map((c) => JSON.parse(c.body.toString()).arguments[0])).toEqual([...Array(20).keys()]);
    // The client's own bytes without the record separator.
    expect(messages[0]?.body.includes(0x1e)).toBe(false);
    expect(JSON.parse(messages[0]?.body.toString() ?? '')).toEqual({ type: 1, target: 'typing', arguments: [0] });
  });

  it('passes a 200 body to the client unchanged as the invocation result', async () => {
    const client = await connect();
    upstream.reply = (call) => {
      if (call.headers['x-asrs-category'] !== 'messages') return { status: 200 };
      const { invocationId } = JSON.parse(call.body.toString()) as { invocationId: string };
      return { status: 200, body: JSON.stringify({ type: 3, invocationId, result: { echoed: true } }) + '\u001e' };
    };
    expect(await client.invoke('echo', 1)).toEqual({ echoed: true });
  });

  it('answers an invocation with a Completion error when the upstream fails, and void on 204', async () => {
    const client = await connect();
    upstream.reply = (call) => ({ status: call.headers['x-asrs-event'] === 'broken' ? 500 : 204 });
    await expect(client.invoke('broken')).rejects.toThrow('Invocation failed, status code 500');
    expect(await client.invoke('fine')).toBeUndefined();
  });

  it('posts MessagePack invocations as application/x-msgpack without the length prefix', async () => {
    const client = await connect('m', true);
    upstream.reply = (call) => {
      if (call.headers['x-asrs-category'] !== 'messages') return { status: 200 };
      const message = decode(call.body) as unknown[];
      const completion = encode([3, {}, message[2], 3, 'ok']);
      return { status: 200, body: Buffer.concat([Buffer.from([completion.length]), completion]) };
    };
    expect(await client.invoke('pack', { a: 1 })).toBe('ok');
    const call = upstream.calls.find((c) => c.headers['x-asrs-category'] === 'messages') as Recorded;
    expect(call.headers['content-type']).toBe('application/x-msgpack');
    expect(decode(call.body)).toEqual([1, {}, '0', 'pack', [{ a: 1 }]]);
  });

  it('posts disconnected with {"type":11} when the client stops', async () => {
    const client = await connect();
    await client.stop();
    await waitFor(() => upstream.events().includes('connections/disconnected'), 5000, 'disconnected');
    const call = upstream.calls.find((c) => c.headers['x-asrs-event'] === 'disconnected') as Recorded;
    expect(JSON.parse(call.body.toString())).toMatchObject({ type: 11 });
    expect(upstream.events()).toEqual(['connections/connected', 'connections/disconnected']);
  });

  it('works over long polling too', async () => {
    const client = await connectClient(emulator, clientToken('lp'), { transport: HttpTransportType.LongPolling });
    clients.push(client);
    await client.send('hello', 'lp');
    await waitFor(() => upstream.events().includes('messages/hello'));
  });
});

describe('robustness and reload', () => {
  it('survives an upstream that is down; the invocation fails and the client stays connected', async () => {
    const client = await connect();
    await upstream.close();
    await expect(client.invoke('x')).rejects.toThrow('Invocation failed, status code 500');
    expect(client.state).toBe('Connected');
  });

  it('fails an invocation no template matches instead of leaving it pending', async () => {
    writeSettings([{ UrlTemplate: upstream.url(), CategoryPattern: 'connections' }]);
    await waitFor(async () => {
      const client = await connect('probe');
      return client.invoke('nothing').then(
        () => false,
        (error: Error) => error.message.includes('No upstream is configured'),
      );
    });
  });

  it('reloads the settings file when it changes', async () => {
    const second = await new FakeUpstream().start();
    try {
      writeSettings([{ UrlTemplate: second.url('/{hub}/{event}') }]);
      await waitFor(
        async () => {
          await connect('reload');
          return second.calls.length > 0;
        },
        5000,
        'calls to the new upstream',
      );
      expect(second.calls[0]?.url).toBe('/chat/connected');
    } finally {
      await second.close();
    }
  });
});

import { decode, encode } from '@msgpack/msgpack';

import { signConnectionId } from './bindings/signalr-trigger';
import {
  connectionStringFor,
  type RecordingServer,
  startFixtureHost,
  startRecordingServer,
  TEST_ACCESS_KEY,
  type TestHost,
} from './testing/helpers';

const RS = '\x1e';

describe('local Functions host: signalRTrigger webhook', () => {
  let service: RecordingServer;
  let host: TestHost;

  beforeAll(async () => {
    service = await startRecordingServer();
    host = await startFixtureHost('basic-app', {
      values: { AzureSignalRConnectionString: connectionStringFor(service.port) },
    });
  });
  afterAll(async () => {
    await host.close();
    await service.close();
  });
  beforeEach(() => {
    service.requests.length = 0;
  });

  function upstreamHeaders(overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const connectionId = overrides['x-asrs-connection-id'] ?? 'conn-1';
    const headers: Record<string, string | undefined> = {
      'content-type': 'application/json',
      'x-asrs-connection-id': connectionId,
      'x-asrs-hub': 'chat',
      'x-asrs-category': 'messages',
      'x-asrs-event': 'echo',
      'x-asrs-user-id': 'u1',
      'x-asrs-user-claims': 'asrs.s.uid: u1, name: Alice',
      'x-asrs-client-query': '?hub=chat&id=abc&lang=en',
      'x-asrs-signature': signConnectionId(connectionId, TEST_ACCESS_KEY),
      ...overrides,
    };
    return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  }

  const webhook = (headers: Record<string, string>, body: string | Uint8Array) =>
    fetch(`${host.url}/runtime/webhooks/signalr`, { method: 'POST', headers, body });

  const invocation = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ type: 1, invocationId: '7', target: 'echo', arguments: ['hi', 2], ...extra });

  it('runs the function for a signed invocation and answers a framed JSON Completion with its result', async () => {
    const response = await webhook(upstreamHeaders(), invocation());
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.endsWith(RS)).toBe(true);
    expect(JSON.parse(text.slice(0, -1))).toEqual({
      type: 3,
      invocationId: '7',
      result: {
        echoed: ['hi', 2],
        from: 'u1',
        hub: 'chat',
        query: { hub: 'chat', id: 'abc', lang: 'en' },
        claims: { 'asrs.s.uid': 'u1', name: 'Alice' },
      },
    });
    // The trigger's signalR output ran too: a send to the calling connection.
    expect(service.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /api/hubs/chat/connections/conn-1/:send',
    ]);
    expect(JSON.parse(service.requests[0]?.body ?? '')).toEqual({ Target: 'echoed', Arguments: ['hi', 2] });
  });

  it('refuses a bad or missing signature with 401 and does not run the function', async () => {
    const wrongKey = await webhook(
      upstreamHeaders({ 'x-asrs-signature': signConnectionId('conn-1', 'another-key') }),
      invocation(),
    );
    expect(wrongKey.status).toBe(401);
    const otherConnection = await webhook(
      upstreamHeaders({ 'x-asrs-signature': signConnectionId('conn-2', TEST_ACCESS_KEY) }),
      invocation(),
    );
    expect(otherConnection.status).toBe(401);
    const missing = await webhook(upstreamHeaders({ 'x-asrs-signature': undefined }), invocation());
    expect(missing.status).toBe(401);
    expect(service.requests).toHaveLength(0);
  });

  it('accepts lower-case hex and a list of signatures (primary and secondary keys)', async () => {
    const signature = `sha256=00ff, ${signConnectionId('conn-1', TEST_ACCESS_KEY).toLowerCase()}`;
    const response = await webhook(upstreamHeaders({ 'x-asrs-signature': signature }), invocation());
    expect(response.status).toBe(200);
  });

  it('answers 415, 400 and 404 like the extension', async () => {
    expect((await webhook(upstreamHeaders({ 'content-type': 'text/plain' }), invocation())).status).toBe(415);
    expect((await webhook(upstreamHeaders({ 'x-asrs-hub': undefined }), invocation())).status).toBe(400);
    expect(
      (await webhook(upstreamHeaders({ 'x-asrs-event': 'nobody' }), invocation({ target: 'nobody' }))).status,
    ).toBe(404);
    expect((await webhook(upstreamHeaders({ 'x-asrs-hub': 'other' }), invocation())).status).toBe(404);
  });

  it('matches hub, category and event ignoring case', async () => {
    const headers = upstreamHeaders({ 'x-asrs-hub': 'CHAT', 'x-asrs-category': 'Messages', 'x-asrs-event': 'ECHO' });
    expect((await webhook(headers, invocation({ target: 'Echo' }))).status).toBe(200);
  });

  it('answers 500 for an unparsable body or a target that does not match the event', async () => {
    expect((await webhook(upstreamHeaders(), '{not json')).status).toBe(500);
    expect((await webhook(upstreamHeaders(), invocation({ target: 'other' }))).status).toBe(500);
  });

  it('answers 200 with no body for a fire-and-forget invocation', async () => {
    const response = await webhook(upstreamHeaders(), invocation({ invocationId: undefined }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('turns a function failure into an error Completion without the details', async () => {
    const response = await webhook(upstreamHeaders({ 'x-asrs-event': 'fail' }), invocation({ target: 'fail' }));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text.slice(0, -1))).toEqual({
      type: 3,
      invocationId: '7',
      error: 'Exception while executing function: Functions.failMessage',
    });
    expect(text).not.toContain('private failure detail');
    expect(host.logs.some((l) => l.includes('private failure detail'))).toBe(true);
  });

  it('speaks MessagePack: unframed Invocation in, length-prefixed Completion out', async () => {
    const body = encode([1, {}, '9', 'echo', ['packed']]);
    const response = await webhook(upstreamHeaders({ 'content-type': 'application/x-msgpack' }), body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-msgpack');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes[0]).toBe(bytes.length - 1);
    const completion = decode(bytes.subarray(1)) as unknown[];
    expect(completion.slice(0, 4)).toEqual([3, {}, '9', 3]);
    expect(completion[4]).toMatchObject({ echoed: ['packed'] });
  });

  it('dispatches connection events with the PascalCase trigger input', async () => {
    const headers = upstreamHeaders({ 'x-asrs-category': 'connections', 'x-asrs-event': 'connected' });
    const response = await webhook(headers, JSON.stringify({ type: 10 }));
    expect(response.status).toBe(200);
    const events = (await (await fetch(`${host.url}/api/connectedEvents`)).json()) as Record<string, unknown>[];
    expect(events.at(-1)).toMatchObject({
      ConnectionId: 'conn-1',
      UserId: 'u1',
      Hub: 'chat',
      Category: 'connections',
      Event: 'connected',
      Arguments: null,
      Error: null,
      Query: { hub: 'chat', id: 'abc', lang: 'en' },
      Claims: { 'asrs.s.uid': 'u1', name: 'Alice' },
    });
    expect((events.at(-1)?.['Headers'] as Record<string, string>)['x-asrs-hub']).toBe('chat');
  });

  it('accepts only POST', async () => {
    const response = await fetch(`${host.url}/runtime/webhooks/signalr`);
    expect(response.status).toBe(405);
  });
});

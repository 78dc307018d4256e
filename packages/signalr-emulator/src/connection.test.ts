/** Handshake, keep-alive and Close, driven with a bare WebSocket and shortened timings. */
import { ClientConnection } from './connection';
import { type RunningEmulator, startEmulator } from './server';
import { API_VERSION, RawClient, rest, waitFor } from './testing/helpers';

let emulator: RunningEmulator;
const raws: RawClient[] = [];

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.close();
  await emulator.close();
});

async function start(timing: { handshakeTimeoutMs?: number; keepAliveIntervalMs?: number; clientTimeoutMs?: number }) {
  emulator = await startEmulator({ port: 0, ...timing });
}

async function raw(query?: string): Promise<RawClient> {
  const client = await RawClient.connect(emulator, query);
  raws.push(client);
  return client;
}

describe('handshake', () => {
  it('closes a connection that sends no handshake in time', async () => {
    await start({ handshakeTimeoutMs: 150 });
    const client = await raw();
    await client.closed;
    expect(client.frames).toEqual([]);
  });

  it('answers a handshake for an unknown protocol with an error and closes', async () => {
    await start({});
    const client = await raw();
    client.send('{"protocol":"xml","version":1}\u001e', false);
    await client.closed;
    expect(client.messages()).toEqual([{ error: "The protocol 'xml' is not supported." }]);
  });

  it('answers a handshake that is not JSON with an error and closes', async () => {
    await start({});
    const client = await raw();
    client.send('hello\u001e', false);
    await client.closed;
    expect(client.messages()[0]).toHaveProperty('error');
  });

  it('processes messages that follow the handshake in the same frame', async () => {
    await start({});
    const client = await raw();
    client.send('{"protocol":"json","version":1}\u001e{"type":6}\u001e', false);
    await waitFor(() => client.texts().length > 0);
    expect(client.texts()[0]).toBe('{}\u001e');
  });
});

describe('keep-alive', () => {
  it('pings an idle connection every keep-alive interval', async () => {
    await start({ keepAliveIntervalMs: 100, clientTimeoutMs: 10_000 });
    const client = await raw();
    await client.handshake();
    await waitFor(() => client.messages().filter((m) => m['type'] === 6).length >= 2, 3000, 'two pings');
  });

  it('drops a client that stays silent for the client timeout, with a Close message', async () => {
    await start({ keepAliveIntervalMs: 50, clientTimeoutMs: 300 });
    const client = await raw();
    await client.handshake();
    await client.closed;
    const close = client.messages().find((m) => m['type'] === 7);
    expect(close).toMatchObject({ type: 7, error: expect.stringContaining('timeout') });
  });

  it('keeps a client that pings', async () => {
    await start({ keepAliveIntervalMs: 50, clientTimeoutMs: 300 });
    const client = await raw();
    await client.handshake();
    const started = Date.now();
    const pinger = setInterval(() => client.send('{"type":6}\u001e', false), 50);
    try {
      await waitFor(() => Date.now() - started > 800, 2000, 'time to pass');
      expect(client.closeCode).toBeUndefined();
    } finally {
      clearInterval(pinger);
    }
  });
});

describe('Close', () => {
  it('stops the connection when the client sends Close', async () => {
    await start({});
    const { client, connectionId } = await RawClient.negotiated(emulator);
    raws.push(client);
    await client.handshake();
    const exists = `/api/hubs/chat/connections/${connectionId}?${API_VERSION}`;
    expect((await rest(emulator, 'HEAD', exists)).status).toBe(200);
    client.send('{"type":7}\u001e', false);
    await client.closed;
    await waitFor(async () => (await rest(emulator, 'HEAD', exists)).status === 404);
  });

  it('sends Close with allowReconnect when REST closes the connection', async () => {
    await start({});
    const { client, connectionId } = await RawClient.negotiated(emulator);
    raws.push(client);
    await client.handshake();
    const response = await rest(
      emulator,
      'DELETE',
      `/api/hubs/chat/connections/${connectionId}?${API_VERSION}&reason=bye`,
    );
    expect(response.status).toBe(200);
    await client.closed;
    expect(client.messages().find((m) => m['type'] === 7)).toEqual({ type: 7, error: 'bye', allowReconnect: true });
  });
});

describe('negotiated connections that never get a transport', () => {
  it('expire after the negotiate timeout even when a transport was reserved but never attached', () => {
    // A WebSocket upgrade that ws refuses leaves the reservation behind; the id must still expire.
    const closed: string[] = [];
    const events = {
      connected: () => undefined,
      invocation: () => undefined,
      closed: (connection: ClientConnection) => closed.push(connection.connectionId),
    };
    const timing = {
      handshakeTimeoutMs: 1000,
      keepAliveIntervalMs: 1000,
      clientTimeoutMs: 1000,
      negotiateTimeoutMs: 1000,
      maxMessageBytes: 1024,
      maxBufferedBytes: 1024,
    };
    const connection = new ClientConnection('c1', 't1', 'chat', { claims: {} }, events, timing, () => 0);
    connection.transportReserved = true;
    connection.tick(500);
    expect(connection.state).toBe('negotiated');
    connection.tick(1001);
    expect(connection.state).toBe('closed');
    expect(closed).toEqual(['c1']);
  });
});

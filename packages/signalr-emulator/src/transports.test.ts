/** Server-Sent Events, Long Polling and MessagePack with the real client forced onto each. */
import { HttpTransportType, type HubConnection } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';

import { type RunningEmulator, startEmulator } from './server';
import { API_VERSION, clientToken, connectClient, nextInvocation, rest, stopAll, waitFor } from './testing/helpers';

let emulator: RunningEmulator;
const clients: HubConnection[] = [];

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, longPollTimeoutMs: 500 });
});

afterEach(async () => {
  await stopAll(clients);
  await emulator.close();
});

const cases: { name: string; transport: HttpTransportType; msgpack: boolean }[] = [
  { name: 'WebSockets + MessagePack', transport: HttpTransportType.WebSockets, msgpack: true },
  { name: 'Server-Sent Events + JSON', transport: HttpTransportType.ServerSentEvents, msgpack: false },
  { name: 'Long Polling + JSON', transport: HttpTransportType.LongPolling, msgpack: false },
  { name: 'Long Polling + MessagePack', transport: HttpTransportType.LongPolling, msgpack: true },
];

describe.each(cases)('$name', ({ transport, msgpack }) => {
  async function connect(userId: string): Promise<HubConnection> {
    const client = await connectClient(emulator, clientToken(userId), {
      transport,
      configure: (b) => (msgpack ? b.withHubProtocol(new MessagePackHubProtocol()) : b),
    });
    clients.push(client);
    return client;
  }

  it('connects and receives broadcast, user and group messages', async () => {
    const client = await connect('alice');
    const broadcast = nextInvocation(client, 'newMessage');
    await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, {
      Target: 'newMessage',
      Arguments: [{ text: 'héllo', n: 1.5, list: [1, null, true] }],
    });
    expect(await broadcast).toEqual([{ text: 'héllo', n: 1.5, list: [1, null, true] }]);

    const toUser = nextInvocation(client, 'dm');
    await rest(emulator, 'POST', `/api/hubs/chat/users/alice/:send?${API_VERSION}`, { target: 'dm', arguments: ['x'] });
    expect(await toUser).toEqual(['x']);

    await rest(emulator, 'PUT', `/api/hubs/chat/groups/g1/connections/${client.connectionId}?${API_VERSION}`);
    const toGroup = nextInvocation(client, 'room');
    await rest(emulator, 'POST', `/api/hubs/chat/groups/g1/:send?${API_VERSION}`, { target: 'room', arguments: [7] });
    expect(await toGroup).toEqual([7]);
  });

  it('gets Close with allowReconnect when REST closes it, and reconnects when enabled', async () => {
    const client = await connectClient(emulator, clientToken('bob'), {
      transport,
      configure: (b) => {
        const built = b.withAutomaticReconnect([0]);
        return msgpack ? built.withHubProtocol(new MessagePackHubProtocol()) : built;
      },
    });
    clients.push(client);
    const firstId = client.connectionId;
    const reconnecting = new Promise<Error | undefined>((resolve) => client.onreconnecting(resolve));
    const reconnected = new Promise<void>((resolve) => client.onreconnected(() => resolve()));
    const response = await rest(
      emulator,
      'DELETE',
      `/api/hubs/chat/connections/${firstId}?${API_VERSION}&reason=maintenance`,
    );
    expect(response.status).toBe(200);
    expect(String(await reconnecting)).toContain('maintenance');
    await reconnected;
    expect(client.connectionId).not.toBe(firstId);
  });

  it('stops cleanly from the client side', async () => {
    const client = await connect('carol');
    const exists = `/api/hubs/chat/users/carol?${API_VERSION}`;
    expect((await rest(emulator, 'HEAD', exists)).status).toBe(200);
    await client.stop();
    await waitFor(async () => (await rest(emulator, 'HEAD', exists)).status === 404, 5000, 'user gone');
  });
});

it('fans one REST message out to JSON and MessagePack clients alike', async () => {
  const json = await connectClient(emulator, clientToken('j'));
  const packed = await connectClient(emulator, clientToken('m'), {
    configure: (b) => b.withHubProtocol(new MessagePackHubProtocol()),
  });
  clients.push(json, packed);
  const got = Promise.all([nextInvocation(json, 'fan'), nextInvocation(packed, 'fan')]);
  await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, {
    target: 'fan',
    arguments: [{ a: [1, 2] }, 'b'],
  });
  expect(await got).toEqual([
    [{ a: [1, 2] }, 'b'],
    [{ a: [1, 2] }, 'b'],
  ]);
});

it('keeps a long-polling client connected across idle poll timeouts', async () => {
  const client = await connectClient(emulator, clientToken('idle'), { transport: HttpTransportType.LongPolling });
  clients.push(client);
  const started = Date.now();
  // Three poll timeouts (500 ms each) pass without data.
  await waitFor(() => Date.now() - started > 1600, 3000, 'idle polls');
  const got = nextInvocation(client, 'late');
  await rest(emulator, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, { target: 'late', arguments: [] });
  expect(await got).toEqual([]);
});

/**
 * End to end with the real pieces: our SignalR Service emulator, the real `@microsoft/signalr`
 * client, and the fixture app behind this host (negotiate, output binding, upstream trigger).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type RunningEmulator, startEmulator } from '@hubbub/signalr-emulator';
import { type HubConnection, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';

import { login, startFixtureHost, type TestHost } from './testing/helpers';

describe('local Functions host with the SignalR emulator and the real client', () => {
  let host: TestHost;
  let emulator: RunningEmulator;
  let dir: string;
  let connection: HubConnection | undefined;

  beforeAll(async () => {
    host = await startFixtureHost('basic-app');
    dir = await mkdtemp(join(tmpdir(), 'hubbub-host-'));
    const upstream = join(dir, 'upstream.json');
    const template = {
      UrlTemplate: `${host.url}/runtime/webhooks/signalr`,
      EventPattern: '*',
      HubPattern: '*',
      CategoryPattern: '*',
    };
    await writeFile(upstream, JSON.stringify({ UpstreamSettings: { Templates: [template] } }));
    emulator = await startEmulator({ port: 0, upstreamSettingsFile: upstream });
    // The bindings read the setting per invocation, as the extension reads its configuration.
    process.env['AzureSignalRConnectionString'] = emulator.connectionString;
  });
  afterAll(async () => {
    await connection?.stop();
    await emulator.close();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('negotiates through the host, receives output-binding sends and gets invoke results from a trigger', async () => {
    const cookie = await login(host, 'Alice');
    connection = new HubConnectionBuilder()
      .withUrl(`${host.url}/api`, { headers: { cookie } })
      .configureLogging(LogLevel.None)
      .build();
    const broadcast = new Promise<unknown[]>((resolve) =>
      connection?.on('newMessage', (...args: unknown[]) => resolve(args)),
    );
    const echoed = new Promise<unknown[]>((resolve) => connection?.on('echoed', (...args: unknown[]) => resolve(args)));
    await connection.start();

    const posted = await fetch(`${host.url}/api/actions`, {
      method: 'POST',
      headers: { cookie },
      body: JSON.stringify([{ target: 'newMessage', arguments: [{ text: 'hello room' }] }]),
    });
    expect(posted.status).toBe(202);
    expect(await broadcast).toEqual([{ text: 'hello room' }]);

    const result = await connection.invoke<{ echoed: unknown[]; from: string }>('echo', 'ping', 1);
    expect(result.echoed).toEqual(['ping', 1]);
    expect(result.from).toMatch(/^dev-[0-9a-f]{16}$/);
    expect(await echoed).toEqual(['ping', 1]);
  });
});

/**
 * The package as a user gets it: `npm pack`, installed into an empty project (dependencies from the
 * registry), run through `npx signalr-emulator`, with no file of this repository on the path.
 */
import { join } from 'node:path';

import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';

import {
  itRunsThroughNpx,
  packAndInstall,
  type PackedInstall,
  startBin,
} from '../../../local/testing/packaged-install';

const KEY = 'packaged-install-test-key-0123456789abcdef';
let installed: PackedInstall;

beforeAll(async () => {
  installed = await packAndInstall(join(__dirname, '..'));
  console.log(installed.summary());
}, 120_000);
afterAll(() => installed?.remove());

itRunsThroughNpx(() => installed, 'signalr-emulator', 'Usage: signalr-emulator [--port 8888]', '20.3.0');

it('starts, negotiates, connects the real client and delivers a REST broadcast to it', async () => {
  // The token code comes from the installed package too, not from this repository.
  // (By file: Jest resolves with the repository's hubbub-source condition, which names sources not packed.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file outside the program, loaded at run time
  const pkg = require(join(installed.dir, 'node_modules/@hubbub/signalr-emulator/dist/index.js')) as {
    signJwt(payload: Record<string, unknown>, key: string): string;
  };
  const server = startBin(installed.dir, 'signalr-emulator', ['--port', '0', '--access-key', KEY], { direct: true });
  const connection = { stop: async (): Promise<void> => undefined };
  try {
    const [, port] = await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/);
    const url = `http://localhost:${port}`;
    const now = Math.floor(Date.now() / 1000);
    const token = (aud: string) => pkg.signJwt({ aud, iat: now, exp: now + 600, 'asrs.s.uid': 'ada' }, KEY);

    const negotiate = await fetch(`${url}/client/negotiate?hub=chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token('http://localhost/client/?hub=chat')}` },
    });
    expect(negotiate.status).toBe(200);
    expect(((await negotiate.json()) as { availableTransports: unknown[] }).availableTransports.length).toBeGreaterThan(
      0,
    );

    const client = new HubConnectionBuilder()
      .withUrl(`${url}/client/?hub=chat`, { accessTokenFactory: () => token('http://localhost/client/?hub=chat') })
      .configureLogging(LogLevel.None)
      .build();
    connection.stop = () => client.stop();
    const received = new Promise<unknown[]>((resolve) =>
      client.on('newMessage', (...args: unknown[]) => resolve(args)),
    );
    await client.start();

    const path = '/api/v1/hubs/chat';
    const sent = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token(`http://localhost${path}`)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'newMessage', arguments: ['hello from the packaged emulator'] }),
    });
    expect(sent.status).toBe(202);
    expect(await received).toEqual(['hello from the packaged emulator']);
  } finally {
    await connection.stop();
    await server.stop();
  }
}, 60_000);

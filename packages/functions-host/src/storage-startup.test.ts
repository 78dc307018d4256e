import { createConnection, createServer } from 'node:net';

import { startFixtureHost } from './testing/helpers';

/** A port nobody listens on now: the OS picks it, and we let it go again. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('local Functions host: storage trigger startup checks', () => {
  it('stops startup naming the function whose schedule the extension would refuse, and frees the port', async () => {
    const port = await freePort();
    await expect(startFixtureHost('bad-timer-app', { port })).rejects.toThrow(
      `Function "everyFiveMinutes": The schedule expression '*/5 * * * *' was not recognized as a valid cron expression or timespan string`,
    );
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

/** serveStatic on its own: failures while streaming a file cost that response, never the process. */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return { ...actual, createReadStream: jest.fn(actual.createReadStream) };
});

import * as fs from 'node:fs';
import { serveStatic } from './static-files';

describe('serveStatic', () => {
  let root: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubbub-static-'));
    await writeFile(join(root, 'app.js'), 'console.log("app");\n');
    server = createServer((req, res) => {
      void serveStatic(req, res, new URL(req.url ?? '/', 'http://localhost'), root);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(root, { recursive: true, force: true });
  });

  it('serves a file', async () => {
    const response = await fetch(`${url}/app.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log("app");\n');
  });

  it('ends the response, without an uncaught error, when reading the file fails after stat', async () => {
    // The file vanished (or became unreadable) between stat and open, as during a rebuild.
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' }));
      },
    });
    jest.mocked(fs.createReadStream).mockReturnValueOnce(failing as unknown as fs.ReadStream);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(fetch(`${url}/app.js`).then((r) => r.text())).rejects.toThrow();
      // The server is still there for the next request.
      expect(await (await fetch(`${url}/app.js`)).text()).toBe('console.log("app");\n');
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});

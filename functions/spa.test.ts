import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { serveSpa } from './spa';
import { request } from './testing/requests';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hubbub-spa-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Hubbub</title>');
  await writeFile(join(root, 'main-ABCDEFGH.js'), 'console.log(1)');
  await mkdir(join(root, 'media'));
  await writeFile(join(root, 'media', 'logo.svg'), '<svg/>');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const get = (path: string) => serveSpa(request('GET', path, { params: { path } }), root);

describe('spa', () => {
  it('serves the app shell at / and for client-side routes, never cached', async () => {
    for (const path of ['', 'rooms/general']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(String(response.body)).toContain('<title>Hubbub</title>');
      expect(response.headers).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
      });
    }
  });

  it('serves hashed build files as immutable with their content type', async () => {
    const response = await get('main-ABCDEFGH.js');
    expect(response.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect((await get('media/logo.svg')).headers).toMatchObject({ 'content-type': 'image/svg+xml' });
  });

  it('answers 404 for missing files, unknown API routes and paths that climb out of the app', async () => {
    expect((await get('missing.js')).status).toBe(404);
    const api = await get('api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.jsonBody).toMatchObject({ error: { code: 'not_found' } });
    expect((await get('../../etc/passwd')).status).toBe(404);
    expect((await get('%2e%2e/%2e%2e/etc/hosts.txt')).status).toBe(404);
    for (const path of ['..%2fpackage.json', 'media/..%2f..%2fpackage.json', '%2e%2e/package.json']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(String(response.body ?? '')).not.toContain('"name"');
    }
  });

  it('answers 404, never throws, when a file cannot be read', async () => {
    await mkdir(join(root, 'unreadable.js'));
    expect((await get('unreadable.js')).status).toBe(404);
  });

  it('says how to build the app when it is not built', async () => {
    const response = await serveSpa(request('GET', 'x', { params: { path: '' } }), join(root, 'nowhere'));
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.jsonBody)).toContain('npm run build:spa');
  });
});

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { blobOrigins, contentSecurityPolicy, signalROrigins } from './platform/http/security-headers';
import { serveSpa } from './spa';
import { request } from './testing/requests';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hubbub-spa-'));
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html><title>Hubbub</title><script src="main.js" nonce="HUBBUB_CSP_NONCE"></script><hb-root ngCspNonce="HUBBUB_CSP_NONCE"></hb-root>',
  );
  await writeFile(join(root, 'main-ABCDEFGH.js'), 'console.log(1)');
  await mkdir(join(root, 'media'));
  await writeFile(join(root, 'media', 'logo.svg'), '<svg/>');
  await writeFile(join(root, 'manifest.webmanifest'), '{"name":"Hubbub"}');
  await writeFile(join(root, 'sw.js'), 'self.addEventListener("push", () => {})');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const get = (path: string) => serveSpa(request('GET', path, { params: { path } }), root);

describe('spa', () => {
  it('serves the app shell at / and for client-side routes (rooms, DMs, messages), never cached', async () => {
    for (const path of ['', 'r/general', 'r/dm-u-ann-u-ben', 'r/team/m/2f1e6c8a-1b7d-4c1e-9a55-0c6b1d0f4e21']) {
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

  it('serves the web app manifest as one, and the service worker uncached under a policy of its own', async () => {
    const manifest = await get('manifest.webmanifest');
    expect(manifest.status).toBe(200);
    expect(manifest.headers).toMatchObject({
      'content-type': 'application/manifest+json; charset=utf-8',
      'cache-control': 'no-cache',
    });
    const worker = await get('sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      // Revalidated every time: a deployment reaches the installed app at the browser's next check.
      'cache-control': 'no-cache',
      'content-security-policy': "default-src 'self'; script-src 'self'; object-src 'none'",
    });
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

  it('sends the shell with a strict CSP whose nonce is fresh per response and written into the page', async () => {
    const saved = process.env['AzureSignalRConnectionString'];
    process.env['AzureSignalRConnectionString'] = 'Endpoint=http://localhost;Port=8888;AccessKey=k;Version=1.0;';
    try {
      const [first, second] = [await get(''), await get('rooms/general')];
      const csp = String(first.headers?.['content-security-policy' as keyof typeof first.headers]);
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(String(first.body)).toContain(`ngCspNonce="${nonce}"`);
      expect(String(first.body)).not.toContain('HUBBUB_CSP_NONCE');
      expect(String(second.headers?.['content-security-policy' as keyof typeof second.headers])).not.toContain(nonce);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self';",
        "connect-src 'self' http://localhost:8888 ws://localhost:8888",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(first.headers).toMatchObject({
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'permissions-policy': expect.stringContaining('camera=()') as unknown,
      });
      expect(first.headers).not.toHaveProperty('strict-transport-security');
    } finally {
      if (saved === undefined) delete process.env['AzureSignalRConnectionString'];
      else process.env['AzureSignalRConnectionString'] = saved;
    }
  });

  it('adds HSTS only when the request came over HTTPS, and hardens files as well', async () => {
    const https = await serveSpa(
      request('GET', '', { params: { path: '' }, headers: { 'x-forwarded-proto': 'https' } }),
      root,
    );
    expect(https.headers).toMatchObject({
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/) as unknown,
    });
    const file = await get('main-ABCDEFGH.js');
    expect(file.headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' });
    expect(file.headers).not.toHaveProperty('content-security-policy');
  });

  it('derives the SignalR origins from Endpoint/Port or ClientEndpoint, https as wss', () => {
    expect(signalROrigins('Endpoint=https://x.service.signalr.net;AccessKey=k;Version=1.0;')).toEqual([
      'https://x.service.signalr.net',
      'wss://x.service.signalr.net',
    ]);
    expect(
      signalROrigins('Endpoint=http://localhost;Port=1;ClientEndpoint=http://clients.example:8080;AccessKey=k;'),
    ).toEqual(['http://clients.example:8080', 'ws://clients.example:8080']);
    expect(signalROrigins(undefined)).toEqual([]);
    expect(signalROrigins('Endpoint=javascript:alert(1);AccessKey=k')).toEqual([]);
    expect(contentSecurityPolicy('n', [])).toContain("connect-src 'self';");
  });

  it('allows the blob endpoint (attachment uploads, images, video and audio) in connect-src, img-src and media-src, from the settings', async () => {
    const saved = { ...process.env };
    const cspOf = async () => {
      const shell = await get('');
      return String(shell.headers?.['content-security-policy' as keyof typeof shell.headers]);
    };
    try {
      process.env['AzureSignalRConnectionString'] = 'Endpoint=http://localhost;Port=8888;AccessKey=k;Version=1.0;';
      // Locally: Azurite's blob endpoint from the storage connection string the stack writes.
      delete process.env['HUBBUB_BLOB_ENDPOINT'];
      process.env['HUBBUB_STORAGE_CONNECTION_STRING'] =
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=k;TableEndpoint=http://127.0.0.1:41233/devstoreaccount1;BlobEndpoint=http://127.0.0.1:41234/devstoreaccount1;';
      let csp = await cspOf();
      expect(csp).toContain("connect-src 'self' http://localhost:8888 ws://localhost:8888 http://127.0.0.1:41234;");
      expect(csp).toContain("img-src 'self' data: blob: http://127.0.0.1:41234;");
      expect(csp).toContain("media-src 'self' blob: http://127.0.0.1:41234;");
      // In Azure: the account's blob endpoint the managed identity signs for.
      process.env['HUBBUB_BLOB_ENDPOINT'] = 'https://hubbubstore.blob.core.windows.net/';
      csp = await cspOf();
      expect(csp).toContain(
        "connect-src 'self' http://localhost:8888 ws://localhost:8888 https://hubbubstore.blob.core.windows.net;",
      );
      expect(csp).toContain("img-src 'self' data: blob: https://hubbubstore.blob.core.windows.net;");
      expect(csp).toContain("media-src 'self' blob: https://hubbubstore.blob.core.windows.net;");
      expect(csp).not.toContain('127.0.0.1:41234');
    } finally {
      process.env = saved;
    }
    expect(blobOrigins('javascript:alert(1)')).toEqual([]);
    expect(blobOrigins('not a url')).toEqual([]);
    expect(blobOrigins(undefined)).toEqual([]);
  });
});

describe('spa, compressed and revalidated as a CDN would serve it', () => {
  let built: string;
  const script = 'const greeting = "hello from the app";\n'.repeat(200);
  const shell = `<!doctype html><title>Hubbub</title>${'<meta name="x" content="padding">'.repeat(40)}<hb-root ngCspNonce="HUBBUB_CSP_NONCE"></hb-root>`;
  const fetchFile = (path: string, headers: Record<string, string> = {}) =>
    serveSpa(request('GET', path, { params: { path }, headers }), built);
  const bodyOf = (response: { body?: unknown }) => Buffer.from(response.body as Buffer);

  beforeAll(async () => {
    built = await mkdtemp(join(tmpdir(), 'hubbub-spa-built-'));
    await writeFile(join(built, 'index.html'), shell);
    await writeFile(join(built, 'main-ABCDEFGH.js'), script);
    await writeFile(join(built, 'manifest.json'), JSON.stringify({ name: 'Hubbub', padding: 'x'.repeat(400) }));
    await writeFile(join(built, 'tiny.js'), 'x()');
    await writeFile(join(built, 'photo.png'), Buffer.alloc(4096, 7));
    // A copy left by an earlier build, for a file that is gone.
    await writeFile(join(built, 'old-ZZZZZZZZ.js.br'), 'stale');
    await promisify(execFile)(process.execPath, [
      join(__dirname, '..', 'local', 'build', 'precompress-spa.mjs'),
      built,
    ]);
  });
  afterAll(() => rm(built, { recursive: true, force: true }));

  it('the build writes brotli and gzip copies of text files only, and drops stale ones', async () => {
    const files = (await readdir(built)).sort();
    expect(files).toEqual(
      expect.arrayContaining(['index.html.br', 'index.html.gz', 'main-ABCDEFGH.js.br', 'main-ABCDEFGH.js.gz']),
    );
    expect(files).not.toContain('photo.png.br');
    expect(files).not.toContain('tiny.js.br');
    expect(files).not.toContain('old-ZZZZZZZZ.js.br');
    expect(brotliDecompressSync(await readFile(join(built, 'main-ABCDEFGH.js.br'))).toString()).toBe(script);
    expect(gunzipSync(await readFile(join(built, 'main-ABCDEFGH.js.gz'))).toString()).toBe(script);
  });

  it('answers each file in the encoding the browser prefers, brotli first, and says it varies', async () => {
    const chromium = await fetchFile('main-ABCDEFGH.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(chromium.headers).toMatchObject({ 'content-encoding': 'br', vary: 'Accept-Encoding' });
    expect(brotliDecompressSync(bodyOf(chromium)).toString()).toBe(script);
    expect(bodyOf(chromium).length).toBeLessThan(script.length / 10);

    const gzipOnly = await fetchFile('main-ABCDEFGH.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzipOnly.headers).toMatchObject({ 'content-encoding': 'gzip' });
    expect(gunzipSync(bodyOf(gzipOnly)).toString()).toBe(script);

    const plain = await fetchFile('main-ABCDEFGH.js');
    expect(plain.headers).not.toHaveProperty('content-encoding');
    expect(bodyOf(plain).toString()).toBe(script);

    const image = await fetchFile('photo.png', { 'accept-encoding': 'br, gzip' });
    expect(image.headers).not.toHaveProperty('content-encoding');
    expect(bodyOf(image).length).toBe(4096);
  });

  it('revalidates unhashed files by ETag (one per encoding) and keeps hashed ones immutable', async () => {
    const first = await fetchFile('manifest.json', { 'accept-encoding': 'br' });
    const etag = String((first.headers as Record<string, string>)['etag']);
    expect(first.headers).toMatchObject({ 'cache-control': 'no-cache' });
    const again = await fetchFile('manifest.json', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    const otherEncoding = await fetchFile('manifest.json', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(otherEncoding.status).toBe(200);
    expect(otherEncoding.headers).toMatchObject({ 'content-encoding': 'gzip' });

    const hashed = await fetchFile('main-ABCDEFGH.js', { 'accept-encoding': 'br' });
    expect(hashed.headers).toMatchObject({ 'cache-control': 'public, max-age=31536000, immutable' });
  });

  it('compresses the shell with its fresh nonce, and answers 304 without a new policy while index.html is unchanged', async () => {
    const first = await fetchFile('r/general', { 'accept-encoding': 'gzip, br' });
    expect(first.headers).toMatchObject({
      'content-encoding': 'br',
      vary: 'Accept-Encoding',
      'cache-control': 'no-cache',
    });
    const html = brotliDecompressSync(bodyOf(first)).toString();
    const csp = String((first.headers as Record<string, string>)['content-security-policy']);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(html).toContain(`ngCspNonce="${nonce}"`);

    const etag = String((first.headers as Record<string, string>)['etag']);
    const revalidated = await fetchFile('', { 'accept-encoding': 'gzip, br', 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers).not.toHaveProperty('content-security-policy');

    await writeFile(join(built, 'index.html'), shell.replace('Hubbub', 'Hubbub 2'));
    const changed = await fetchFile('', { 'accept-encoding': 'gzip, br', 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(brotliDecompressSync(bodyOf(changed)).toString()).toContain('Hubbub 2');
  });
});

import { connect } from 'node:net';
import { fixtureRoot, startFixtureHost, type TestHost } from './testing/helpers';

describe('local Functions host: route prefix from host.json and static SPA files', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('static-app', { staticDir: `${fixtureRoot('static-app')}/www` });
  });
  afterAll(async () => {
    await host.close();
  });

  it('serves functions under extensions.http.routePrefix', async () => {
    expect(host.functions[0]).toMatchObject({ name: 'ping', path: '/v1/ping', methods: ['GET'] });
    expect(await (await fetch(`${host.url}/v1/ping`)).json()).toEqual({ pong: true });
    const unknown = await fetch(`${host.url}/v1/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: 'No function handles GET /v1/nope' } });
  });

  it('serves files with their content types', async () => {
    const index = await fetch(`${host.url}/`);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('fixture index');
    const script = await fetch(`${host.url}/assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('fixture app');
  });

  it('falls back to index.html for client-side routes, not for missing assets', async () => {
    const route = await fetch(`${host.url}/rooms/lobby`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('fixture index');
    expect((await fetch(`${host.url}/assets/missing.js`)).status).toBe(404);
  });

  it('never serves files outside the folder', async () => {
    for (const path of ['/..%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/package.json']) {
      const socket = connect(host.port, '127.0.0.1');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      let raw = '';
      for await (const chunk of socket) raw += (chunk as Buffer).toString('utf8');
      expect(raw).not.toContain('static-app');
    }
  });

  it('refuses to write to static paths', async () => {
    expect((await fetch(`${host.url}/index.html`, { method: 'POST' })).status).toBe(405);
  });

  it('runs without local.settings files: no CORS origins', async () => {
    const response = await fetch(`${host.url}/v1/ping`, { headers: { origin: 'http://localhost:4200' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

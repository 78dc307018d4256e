import { startFixtureHost, type TestHost } from './testing/helpers';

describe('local Functions host: route prefix from host.json, no local settings', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('prefix-app');
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

  it('answers 404 JSON outside the route prefix: serving files is the app’s job (its own HTTP function)', async () => {
    const outside = await fetch(`${host.url}/index.html`);
    expect(outside.status).toBe(404);
    expect(await outside.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('runs without local.settings files: no CORS origins', async () => {
    const response = await fetch(`${host.url}/v1/ping`, { headers: { origin: 'http://localhost:4200' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

import { checkCorsPolicy } from './cors';
import { startFixtureHost, type TestHost } from './testing/helpers';

describe('local Functions host: CORS from Host.CORS and Host.CORSCredentials', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('basic-app', { cors: ['http://extra.example'] });
  });
  afterAll(async () => {
    await host.close();
  });

  it('answers a preflight from a listed origin, echoing it with credentials', async () => {
    const response = await fetch(`${host.url}/api/negotiate?negotiateVersion=1`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:4200',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-requested-with, x-signalr-user-agent',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, x-requested-with, x-signalr-user-agent',
    );
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('adds CORS headers to real responses for listed origins, including ones from the options', async () => {
    for (const origin of ['http://other.example', 'http://extra.example']) {
      const response = await fetch(`${host.url}/api/echo`, { headers: { origin } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    }
  });

  it('gives other origins no CORS headers', async () => {
    const preflight = await fetch(`${host.url}/api/echo`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const response = await fetch(`${host.url}/api/echo`, { headers: { origin: 'http://evil.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses to start with a wildcard origin and credentials together', () => {
    expect(() => checkCorsPolicy({ origins: ['*'], credentials: true })).toThrow(/cannot be combined/);
    expect(() => checkCorsPolicy({ origins: ['*'], credentials: false })).not.toThrow();
    expect(() => checkCorsPolicy({ origins: ['http://localhost:4200'], credentials: true })).not.toThrow();
  });
});

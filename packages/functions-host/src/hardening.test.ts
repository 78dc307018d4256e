/**
 * The local host against a hostile machine: any web page the developer visits and any local
 * process can reach 127.0.0.1. Bodies are capped before they are read, malformed requests answer
 * 400 (never 500), the login form refuses other sites' posts and logging out ends the session.
 */
import { connect } from 'node:net';

import { SESSION_COOKIE } from './easy-auth';
import { login, sessionCookieFrom, startFixtureHost, type TestHost } from './testing/helpers';

/** Sends raw bytes and resolves with the status line and headers of the first answer. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.write(request);
  });
}

const statusOf = (head: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describe('local Functions host hardening', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('basic-app', { cors: ['http://localhost:4200'] });
  });
  afterAll(async () => {
    await host.close();
  });

  describe('request bodies', () => {
    it('answers 413 from Content-Length above 1 MB at once and closes, without reading the body', async () => {
      const head = await raw(
        host.port,
        `POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n{`,
      );
      expect(statusOf(head)).toBe(413);
      expect(head.toLowerCase()).toContain('connection: close');
    });

    it('counts a chunked body as it streams and stops at the limit', async () => {
      const chunk = 'x'.repeat(64 * 1024);
      const response = await fetch(`${host.url}/api/echo`, {
        method: 'POST',
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(chunk));
            controller.close();
          },
        }),
        duplex: 'half',
      }).catch(() => undefined);
      // Either the 413 arrives or the host cut the upload short; the function never ran.
      if (response) expect(response.status).toBe(413);
      expect(host.logs.join('\n')).not.toMatch(/POST \/api\/echo 200/);
    });

    it('accepts a body of exactly 1 MB and honours FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', async () => {
      const ok = await fetch(`${host.url}/api/echo`, { method: 'POST', body: 'y'.repeat(1024 * 1024) });
      expect(ok.status).toBe(200);
      const small = await startFixtureHost('basic-app', { values: { FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '10' } });
      try {
        expect((await fetch(`${small.url}/api/echo`, { method: 'POST', body: '12345678901' })).status).toBe(413);
        expect((await fetch(`${small.url}/api/echo`, { method: 'POST', body: '1234567890' })).status).toBe(200);
      } finally {
        await small.close();
        delete process.env['FUNCTIONS_REQUEST_BODY_SIZE_LIMIT'];
      }
    });
  });

  describe('malformed requests answer 400, never 500', () => {
    it.each([
      ['a Host with a space', 'GET / HTTP/1.1\r\nHost: bad host\r\n\r\n'],
      ['a Host with a path', 'GET / HTTP/1.1\r\nHost: localhost/evil\r\n\r\n'],
      ['a Host with userinfo', 'GET / HTTP/1.1\r\nHost: user@evil.example\r\n\r\n'],
      ['a Host with a bad port', 'GET / HTTP/1.1\r\nHost: localhost:99999999\r\n\r\n'],
      ['no Host at all', 'GET / HTTP/1.1\r\n\r\n'],
      ['a scheme-relative target', 'GET //evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      ['an absolute-form target', 'GET http://evil.example/api/echo HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      ['an encoded ..', 'GET /..%2f..%2fpackage.json HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      ['an encoded .. under /api', 'GET /api/files/%2e%2e%2f%2e%2e%2fetc HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      ['a backslash', 'GET /\\evil.example HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      ['a broken percent-escape', 'GET /api/echo/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n\r\n'],
      ['an encoded NUL', 'GET /api/echo/a%00b HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ])('%s', async (_what, request) => {
      expect(statusOf(await raw(host.port, request))).toBe(400);
    });

    it.each([
      '/.auth/login/dev?post_login_redirect_uri=//evil.example',
      '/.auth/login/dev?post_login_redirect_uri=https://evil.example/',
      '/.auth/login/dev?post_login_redirect_uri=/%5Cevil.example',
      '/.auth/logout?post_logout_redirect_uri=//evil.example',
      '/.auth/logout?post_logout_redirect_uri=javascript:alert(1)',
    ])('an off-site redirect parameter: %s', async (path) => {
      const response = await fetch(`${host.url}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });

    it('still serves ordinary requests and same-site redirects', async () => {
      expect((await fetch(`${host.url}/api/echo/caf%C3%A9`)).status).toBe(200);
      const page = await fetch(`${host.url}/.auth/login/dev?post_login_redirect_uri=/rooms/general`);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    });
  });

  describe('dev login and logout', () => {
    it('refuses a sign-in posted from another site or an opaque origin with 403 and no cookie', async () => {
      for (const origin of ['http://evil.example', 'null', 'http://localhost:1']) {
        const response = await fetch(`${host.url}/.auth/login/dev`, form({ name: 'Mallory' }, { origin }));
        expect(response.status).toBe(403);
        expect(response.headers.getSetCookie()).toEqual([]);
      }
    });

    it('accepts a sign-in from its own origin, a configured CORS origin, or a client that sends none', async () => {
      const variants: Record<string, string>[] = [{ origin: host.url }, { origin: 'http://localhost:4200' }, {}];
      for (const headers of variants) {
        const response = await fetch(`${host.url}/.auth/login/dev`, form({ name: 'Alice' }, headers));
        expect(response.status).toBe(302);
        expect(sessionCookieFrom(response)).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
      }
    });

    it('ends the session on logout: the old cookie no longer signs anyone in', async () => {
      const cookie = await login(host, 'Grace');
      const me = () => fetch(`${host.url}/.auth/me`, { headers: { cookie } });
      expect((await me()).status).toBe(200);
      const logout = await fetch(`${host.url}/.auth/logout`, { headers: { cookie }, redirect: 'manual' });
      expect(logout.status).toBe(302);
      expect((await me()).status).toBe(401);
      const whoami = await fetch(`${host.url}/api/whoami`, { headers: { cookie } });
      expect(await whoami.json()).toEqual({ anonymous: true });
      // Signing in again gives a new session that works.
      const again = await login(host, 'Grace');
      expect((await fetch(`${host.url}/.auth/me`, { headers: { cookie: again } })).status).toBe(200);
    });
  });
});

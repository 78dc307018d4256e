import { CLAIM_NAME, CLAIM_NAME_IDENTIFIER, devUserId, SESSION_COOKIE } from './easy-auth';
import { login, sessionCookieFrom, startFixtureHost, type TestHost } from './testing/helpers';

interface WhoAmI {
  type: string;
  id: string;
  username: string;
  idp: string;
  claims: { auth_typ: string; name_typ: string; claims: { typ: string; val: string }[] };
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describe('local Functions host: App Service Authentication stand-in', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('basic-app', { values: { HUBBUB_AUTH_SECRET: 'test-secret-for-auth-tests' } });
  });
  afterAll(async () => {
    await host.close();
  });

  it('shows an accessible login form that escapes the redirect target', async () => {
    const response = await fetch(
      `${host.url}/.auth/login/dev?post_login_redirect_uri=${encodeURIComponent('/chat?x="><script>')}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<label for="name">Display name</label>');
    expect(html).toMatch(/<input id="name" name="name"[^>]*required/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="/chat?x=&#34;&#62;&#60;script&#62;"');
  });

  it('signs in: HttpOnly SameSite=Lax cookie, redirect to the same-origin path', async () => {
    const response = await fetch(
      `${host.url}/.auth/login/dev`,
      form({ name: '  Alice  ', post_login_redirect_uri: '/rooms/lobby' }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/rooms/lobby');
    const setCookie = response.headers.getSetCookie()[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+; Path=/; HttpOnly; SameSite=Lax$`));
  });

  it.each(['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)'])(
    'refuses to redirect off-site to %s: 400, no session',
    async (target) => {
      const response = await fetch(
        `${host.url}/.auth/login/dev`,
        form({ name: 'Alice', post_login_redirect_uri: target }),
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.getSetCookie()).toEqual([]);
    },
  );

  it.each([
    ['', 'Enter a display name.'],
    ['   ', 'Enter a display name.'],
    ['x'.repeat(65), 'at most 64 characters'],
    ['bad\u0007name', 'control characters'],
  ])('rejects the name %j with a clear error page', async (name, message) => {
    const response = await fetch(`${host.url}/.auth/login/dev`, form({ name }));
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()).toEqual([]);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain(message);
  });

  it('accepts 64 characters and escapes the name when it shows it again', async () => {
    expect((await fetch(`${host.url}/.auth/login/dev`, form({ name: 'y'.repeat(64) }))).status).toBe(302);
    const html = await (await fetch(`${host.url}/.auth/login/dev`, form({ name: `<b>${'z'.repeat(70)}` }))).text();
    expect(html).toContain('&#60;b&#62;');
    expect(html).not.toContain('<b>z');
  });

  it('injects the principal headers so request.user gives the id and name', async () => {
    const cookie = await login(host, 'Alice');
    const user = (await (await fetch(`${host.url}/api/whoami`, { headers: { cookie } })).json()) as WhoAmI;
    expect(user).toMatchObject({ type: 'AppService', id: devUserId('Alice'), username: 'Alice', idp: 'dev' });
    expect(user.id).toMatch(/^dev-[0-9a-f]{16}$/);
    expect(user.claims).toMatchObject({ auth_typ: 'dev', name_typ: CLAIM_NAME });
    expect(user.claims.claims).toEqual(
      expect.arrayContaining([
        { typ: CLAIM_NAME_IDENTIFIER, val: devUserId('Alice') },
        { typ: 'name', val: 'Alice' },
      ]),
    );
  });

  it('derives the same user from the same name, ignoring case', async () => {
    expect(devUserId('alice')).toBe(devUserId('ALICE'));
    expect(devUserId('alice')).not.toBe(devUserId('bob'));
    const a = await login(host, 'ALICE');
    const user = (await (await fetch(`${host.url}/api/whoami`, { headers: { cookie: a } })).json()) as WhoAmI;
    expect(user.id).toBe(devUserId('Alice'));
    expect(user.username).toBe('ALICE');
  });

  it('strips client-sent principal headers, signed in or not', async () => {
    const spoof = {
      'x-ms-client-principal-id': 'mallory',
      'x-ms-client-principal-name': 'Mallory',
      'x-ms-client-principal-idp': 'aad',
      'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [] })).toString('base64'),
    };
    const anonymous = await fetch(`${host.url}/api/whoami`, { headers: spoof });
    expect(await anonymous.json()).toEqual({ anonymous: true });
    const echoed = (await (await fetch(`${host.url}/api/echo`, { headers: spoof })).json()) as { principalId: unknown };
    expect(echoed.principalId).toBeNull();

    const cookie = await login(host, 'Bob');
    const user = (await (await fetch(`${host.url}/api/whoami`, { headers: { ...spoof, cookie } })).json()) as WhoAmI;
    expect(user.id).toBe(devUserId('Bob'));
    expect(user.username).toBe('Bob');
  });

  it('ignores a tampered or foreign cookie', async () => {
    const cookie = await login(host, 'Carol');
    const [name, value] = cookie.split('=') as [string, string];
    const [body, signature] = value.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), name: 'Admin' }),
    ).toString('base64url');
    const response = await fetch(`${host.url}/api/whoami`, { headers: { cookie: `${name}=${forged}.${signature}` } });
    expect(await response.json()).toEqual({ anonymous: true });
  });

  it('serves /.auth/me in App Service format, 401 when signed out', async () => {
    const signedOut = await fetch(`${host.url}/.auth/me`);
    expect(signedOut.status).toBe(401);
    expect(await signedOut.json()).toEqual({ error: { code: 'unauthenticated', message: 'Sign in first' } });

    const cookie = await login(host, 'Dora');
    const signedIn = Date.now();
    for (const method of ['GET', 'POST']) {
      const me = await fetch(`${host.url}/.auth/me`, { method, headers: { cookie } });
      expect(me.status).toBe(200);
      const [entry, ...more] = (await me.json()) as Record<string, unknown>[];
      expect(more).toEqual([]);
      expect(entry).toEqual({
        provider_name: 'dev',
        user_id: 'Dora',
        user_claims: [
          { typ: CLAIM_NAME_IDENTIFIER, val: devUserId('Dora') },
          { typ: CLAIM_NAME, val: 'Dora' },
          { typ: 'name', val: 'Dora' },
        ],
        expires_on: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      // App Service's default session: 8 hours from sign-in.
      const left = Date.parse(entry['expires_on'] as string) - signedIn;
      expect(Math.abs(left - 8 * 3600_000)).toBeLessThan(60_000);
    }
    expect((await fetch(`${host.url}/.auth/me`, { method: 'DELETE', headers: { cookie } })).status).toBe(405);
  });

  it('keeps names beyond Latin-1 exact in the claims', async () => {
    const cookie = await login(host, '李雷 🙂');
    const user = (await (await fetch(`${host.url}/api/whoami`, { headers: { cookie } })).json()) as WhoAmI;
    expect(user.id).toBe(devUserId('李雷 🙂'));
    expect(user.claims.claims).toContainEqual({ typ: 'name', val: '李雷 🙂' });
  });

  it('logs out: clears the cookie and redirects', async () => {
    const response = await fetch(`${host.url}/.auth/logout?post_logout_redirect_uri=/bye`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/bye');
    expect(response.headers.getSetCookie()[0]).toMatch(
      new RegExp(`^${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`),
    );
  });

  it('keeps sessions across a restart when HUBBUB_AUTH_SECRET is set, and only then', async () => {
    const cookie = await login(host, 'Erin');
    const same = await startFixtureHost('basic-app', { values: { HUBBUB_AUTH_SECRET: 'test-secret-for-auth-tests' } });
    try {
      const user = (await (await fetch(`${same.url}/api/whoami`, { headers: { cookie } })).json()) as WhoAmI;
      expect(user.id).toBe(devUserId('Erin'));
    } finally {
      await same.close();
    }
    const fresh = await startFixtureHost('basic-app', { values: { HUBBUB_AUTH_SECRET: '' } });
    try {
      expect(await (await fetch(`${fresh.url}/api/whoami`, { headers: { cookie } })).json()).toEqual({
        anonymous: true,
      });
    } finally {
      await fresh.close();
    }
  });

  it('reads the session cookie from a login response', async () => {
    const response = await fetch(`${host.url}/.auth/login/dev`, form({ name: 'Fay' }));
    expect(sessionCookieFrom(response)).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
  });
});

/**
 * Easy Auth's endpoints against the security review's inputs, on a real host on a free port: a
 * provider name that is an Object.prototype key, empty, very long, non-ASCII or `%00`, and redirect
 * paths with non-Latin-1 characters, never answer 500; other origins are still refused.
 */
import { sessionCookieFrom, startFixtureHost, type TestHost } from './testing/helpers';

describe('Easy Auth against hostile provider names and redirect paths', () => {
  let host: TestHost;
  beforeAll(async () => (host = await startFixtureHost('basic-app')));
  afterAll(() => host.close());

  const loginForm = (provider: string, fields: Record<string, string>) =>
    fetch(`${host.url}/.auth/login/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])(
    'shows the sign-in page for the Object.prototype name /.auth/login/%s, and signs in through it',
    async (provider) => {
      const page = await fetch(`${host.url}/.auth/login/${provider}`);
      expect(page.status).toBe(200);
      const lower = provider.toLowerCase();
      expect(await page.text()).toContain(`<h1>Sign in with ${lower}</h1>`);

      const response = await loginForm(provider, { name: 'Ada', post_login_redirect_uri: '/' });
      expect(response.status).toBe(302);
      const me = await fetch(`${host.url}/.auth/me`, { headers: { cookie: sessionCookieFrom(response) } });
      expect(await me.json()).toMatchObject([{ provider_name: lower, user_id: 'Ada' }]);
    },
  );

  it.each([
    { what: '__proto__', path: '/.auth/login/__proto__', status: 404 },
    { what: '__defineGetter__', path: '/.auth/login/__defineGetter__', status: 404 },
    { what: 'an empty', path: '/.auth/login/', status: 404 },
    { what: 'an 8000-character', path: `/.auth/login/${'a'.repeat(8000)}`, status: 404 },
    { what: 'a non-ASCII', path: `/.auth/login/${encodeURIComponent('gïthub日本')}`, status: 404 },
    { what: 'a %00', path: '/.auth/login/%00', status: 400 },
    { what: 'an encoded-slash', path: '/.auth/login/github%2Fx', status: 404 },
  ])('answers $what provider name with JSON $status, never 500', async ({ path, status }) => {
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${host.url}${path}`, { method, redirect: 'manual' });
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: { message: string } };
      // The name is echoed shortened, never as sent.
      expect(body.error.message.length).toBeLessThan(300);
    }
  });

  it('percent-encodes a non-Latin-1 post_login_redirect_uri in the form, the Location header and on to the page', async () => {
    const target = '/rooms/日本語?q=ünï#päge👋';
    const encoded = '/rooms/%E6%97%A5%E6%9C%AC%E8%AA%9E?q=%C3%BCn%C3%AF#p%C3%A4ge%F0%9F%91%8B';
    const page = await fetch(`${host.url}/.auth/login/dev?post_login_redirect_uri=${encodeURIComponent(target)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`name="post_login_redirect_uri" value="${encoded}"`);

    for (const value of [target, encoded]) {
      const response = await loginForm('dev', { name: 'Ada', post_login_redirect_uri: value });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(encoded);
      // The browser lands on the path it was given.
      expect(decodeURI(new URL(response.headers.get('location') ?? '', host.url).pathname)).toBe('/rooms/日本語');
    }
    // Latin-1 characters, which Node would send as raw bytes, are UTF-8 escapes too.
    const latin1 = await loginForm('github', { name: 'Ada', post_login_redirect_uri: '/café' });
    expect(latin1.headers.get('location')).toBe('/caf%C3%A9');
  });

  it('percent-encodes a non-Latin-1 post_logout_redirect_uri', async () => {
    const response = await fetch(
      `${host.url}/.auth/logout?post_logout_redirect_uri=${encodeURIComponent('/au revoir/さようなら')}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/au%20revoir/%E3%81%95%E3%82%88%E3%81%86%E3%81%AA%E3%82%89');
  });

  it('still refuses redirects to other origins, with or without non-ASCII characters, with 400', async () => {
    const offSite = [
      '//évil.example/日本',
      'https://évil.example/',
      '/\\évil.example',
      '\\\\évil.example',
      'javascript:alert(1)//日本',
      '日本',
      '/\t/evil.example',
    ];
    for (const target of offSite) {
      const login = await fetch(`${host.url}/.auth/login/dev?post_login_redirect_uri=${encodeURIComponent(target)}`, {
        redirect: 'manual',
      });
      expect([target, login.status]).toEqual([target, 400]);
      const posted = await loginForm('dev', { name: 'Ada', post_login_redirect_uri: target });
      expect([target, posted.status]).toEqual([target, 400]);
      const logout = await fetch(`${host.url}/.auth/logout?post_logout_redirect_uri=${encodeURIComponent(target)}`, {
        redirect: 'manual',
      });
      expect([target, logout.status]).toEqual([target, 400]);
    }
  });
});

/**
 * `/.auth/login/<provider>` for App Service's providers and custom names: an app written for App
 * Service Authentication signs in locally through its own links, and sees the provider it named.
 */
import { CLAIM_NAME_IDENTIFIER, devUserId } from './easy-auth';
import { login, sessionCookieFrom, startFixtureHost, type TestHost } from './testing/helpers';

interface WhoAmI {
  id: string;
  username: string;
  idp: string;
  claims: { auth_typ: string; claims: { typ: string; val: string }[] };
}

let host: TestHost;
beforeAll(async () => (host = await startFixtureHost('basic-app')));
afterAll(() => host.close());

const whoami = async (cookie: string) =>
  (await (await fetch(`${host.url}/api/whoami`, { headers: { cookie } })).json()) as WhoAmI;

describe.each([
  ['aad', 'Microsoft Entra ID'],
  ['github', 'GitHub'],
  ['google', 'Google'],
  ['twitter', 'X (Twitter)'],
  ['facebook', 'Facebook'],
  ['apple', 'Apple'],
  ['my-oidc', 'my-oidc'],
])('/.auth/login/%s', (provider, shownAs) => {
  it('shows the local sign-in page naming the provider, posting back to the same provider', async () => {
    const response = await fetch(`${host.url}/.auth/login/${provider}?post_login_redirect_uri=/rooms/general`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<h1>Sign in with ${shownAs}</h1>`);
    expect(html).toContain(`<form method="post" action="/.auth/login/${provider}">`);
    expect(html).toContain('name="post_login_redirect_uri" value="/rooms/general"');
  });

  it('signs in, redirects to post_login_redirect_uri and records the provider in the principal and /.auth/me', async () => {
    const response = await fetch(`${host.url}/.auth/login/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Ada', post_login_redirect_uri: '/rooms/general?x=1' }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/rooms/general?x=1');
    const cookie = sessionCookieFrom(response);

    const user = await whoami(cookie);
    expect(user).toMatchObject({ id: devUserId('Ada', provider), username: 'Ada', idp: provider });
    expect(user.claims.auth_typ).toBe(provider);
    expect(user.claims.claims).toContainEqual({ typ: CLAIM_NAME_IDENTIFIER, val: devUserId('Ada', provider) });

    const me = (await (await fetch(`${host.url}/.auth/me`, { method: 'POST', headers: { cookie } })).json()) as {
      provider_name: string;
      user_id: string;
    }[];
    expect(me).toMatchObject([{ provider_name: provider, user_id: 'Ada' }]);
  });
});

it('makes one name through two providers two users, and the same provider the same user', async () => {
  const viaDev = await whoami(await login(host, 'Grace'));
  const viaGithub = await whoami(await login(host, 'Grace', 'github'));
  const again = await whoami(await login(host, 'grace', 'GitHub'));
  expect(viaDev.id).toBe(devUserId('Grace'));
  expect(viaGithub.id).not.toBe(viaDev.id);
  expect(again).toMatchObject({ id: viaGithub.id, idp: 'github' });
});

it('refuses an off-site post_login_redirect_uri for any provider', async () => {
  for (const target of ['//evil.example', 'https://evil.example/']) {
    const response = await fetch(
      `${host.url}/.auth/login/github?post_login_redirect_uri=${encodeURIComponent(target)}`,
    );
    expect(response.status).toBe(400);
  }
});

it('answers 404 naming the form for what is not a provider name', async () => {
  for (const path of ['/.auth/login/', '/.auth/login/git.hub', '/.auth/login/github/callback']) {
    const response = await fetch(`${host.url}${path}`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'use /.auth/login/<provider>',
    );
  }
});

import { login } from './login';
import { me } from './me';
import { alice, principalHeaders, request } from './testing/requests';

describe('me', () => {
  it('returns the platform principal', async () => {
    const response = await me(request('GET', 'me', { user: alice }));
    expect(response.jsonBody).toEqual({ id: alice.id, name: 'Alice' });
  });

  it('answers 401 when signed out, even if the query names a user', async () => {
    const response = await me(request('GET', 'me', { query: { userId: alice.id } }));
    expect(response.status).toBe(401);
    expect(response.jsonBody).toEqual({
      error: { code: 'unauthenticated', message: 'Sign in first' },
      signIn: '/.auth/login/dev',
    });
  });

  it('points at the configured identity provider in Azure', async () => {
    process.env['HUBBUB_LOGIN_PROVIDER'] = 'aad';
    try {
      const response = await me(request('GET', 'me'));
      expect(response.jsonBody).toMatchObject({ signIn: '/.auth/login/aad' });
    } finally {
      delete process.env['HUBBUB_LOGIN_PROVIDER'];
    }
  });

  it('takes a non-Latin name from the principal claims, which headers cannot carry', async () => {
    const headers = principalHeaders({ id: 'dev-1', name: '李雷' });
    headers['x-ms-client-principal-name'] = Buffer.from('李雷', 'utf8').toString('latin1');
    const response = await me(request('GET', 'me', { headers }));
    expect(response.jsonBody).toEqual({ id: 'dev-1', name: '李雷' });
  });

  it('treats an incomplete principal as signed out', async () => {
    const response = await me(request('GET', 'me', { headers: { 'x-ms-client-principal': 'e30=' } }));
    expect(response.status).toBe(401);
  });
});

describe('login', () => {
  it('redirects to the configured provider, back to a same-origin path only', async () => {
    const local = await login(request('GET', 'login', { query: { post_login_redirect_uri: '/rooms/general' } }));
    expect(local.status).toBe(302);
    expect((local.headers as Record<string, string>)['location']).toBe(
      '/.auth/login/dev?post_login_redirect_uri=%2Frooms%2Fgeneral',
    );
    process.env['HUBBUB_LOGIN_PROVIDER'] = 'aad';
    try {
      const azure = await login(request('GET', 'login', { query: { post_login_redirect_uri: '//evil.example' } }));
      expect((azure.headers as Record<string, string>)['location']).toBe(
        '/.auth/login/aad?post_login_redirect_uri=%2F',
      );
      for (const sneaky of ['/\\evil.example', '/\t/evil.example', 'https://evil.example', '/ok\r\nSet-Cookie: x=1']) {
        const response = await login(request('GET', 'login', { query: { post_login_redirect_uri: sneaky } }));
        expect((response.headers as Record<string, string>)['location']).toBe(
          '/.auth/login/aad?post_login_redirect_uri=%2F',
        );
      }
    } finally {
      delete process.env['HUBBUB_LOGIN_PROVIDER'];
    }
  });
});

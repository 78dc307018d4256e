import { login } from './login';
import { request } from './testing/requests';

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

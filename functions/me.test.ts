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

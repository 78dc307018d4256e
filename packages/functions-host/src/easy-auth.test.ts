import { resolveBindingExpression } from './bindings/binding-expressions';
import { checkDisplayName, principalHeaders, readCookie, SESSION_LIFETIME_SECONDS, SessionSigner } from './easy-auth';

describe('easy auth sessions', () => {
  it('round-trips a session and expires it after the App Service default lifetime', () => {
    let now = Date.UTC(2030, 0, 1);
    const signer = new SessionSigner('secret', () => now);
    const cookie = signer.issue('Alice');
    expect(signer.read(cookie)).toEqual({
      id: expect.stringMatching(/^dev-[0-9a-f]{16}$/),
      name: 'Alice',
      provider: 'dev',
      expiresAt: now / 1000 + SESSION_LIFETIME_SECONDS,
    });
    now += SESSION_LIFETIME_SECONDS * 1000;
    expect(signer.read(cookie)).toBeUndefined();
  });

  it('rejects cookies signed with another secret or malformed', () => {
    const cookie = new SessionSigner('one').issue('Alice');
    expect(new SessionSigner('two').read(cookie)).toBeUndefined();
    expect(new SessionSigner('one').read('garbage')).toBeUndefined();
    expect(new SessionSigner('one').read(`${cookie}.extra`)).toBeUndefined();
  });

  it('revokes one session on logout, and all of them rather than grow the list past its cap', () => {
    let now = Date.UTC(2030, 0, 1);
    const signer = new SessionSigner('secret', () => now, 2);
    const [a, b, c] = [signer.issue('A'), signer.issue('B'), signer.issue('C')];
    signer.revoke(a);
    expect(signer.read(a)).toBeUndefined();
    expect(signer.read(b)).toBeDefined();
    signer.revoke('not a cookie');
    signer.revoke(b);
    expect(signer.read(b)).toBeUndefined();
    expect(signer.read(c)).toBeDefined();
    signer.revoke(c); // the list is full: every session issued so far ends
    expect([a, b, c].map((cookie) => signer.read(cookie))).toEqual([undefined, undefined, undefined]);
    now += 2000;
    expect(signer.read(signer.issue('D'))).toMatchObject({ name: 'D' });
  });

  it('checks display names by characters, not bytes', () => {
    expect(checkDisplayName('🙂'.repeat(64))).toEqual({ ok: true, name: '🙂'.repeat(64) });
    expect(checkDisplayName('🙂'.repeat(65)).ok).toBe(false);
    expect(checkDisplayName(undefined).ok).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; AppServiceAuthSession=x.y; b=2', 'AppServiceAuthSession')).toBe('x.y');
    expect(readCookie(undefined, 'a')).toBeUndefined();
  });

  it('builds principal headers that are valid header values for any name', () => {
    const headers = principalHeaders({ id: 'dev-1', name: '李雷', provider: 'dev' });
    expect(() => new Headers(headers)).not.toThrow();
    expect(Buffer.from(headers['x-ms-client-principal-name'] ?? '', 'latin1').toString('utf8')).toBe('李雷');
    expect(JSON.parse(Buffer.from(headers['x-ms-client-principal'] ?? '', 'base64').toString('utf8'))).toMatchObject({
      auth_typ: 'dev',
      claims: expect.arrayContaining([{ typ: 'name', val: '李雷' }]),
    });
  });
});

describe('binding expressions', () => {
  const data = {
    headers: { 'X-Thing': 'h' },
    query: new URLSearchParams('q=1'),
    params: { room: 'lobby' },
    env: { SETTING: 's' },
  };

  it('resolves headers (any case), query, route params and app settings', () => {
    expect(resolveBindingExpression('{headers.x-thing}/{query.q}/{room}/%SETTING%', data)).toBe('h/1/lobby/s');
  });

  it('fails with the host message when a value is missing', () => {
    expect(() => resolveBindingExpression('{headers.x-ms-client-principal-id}', data)).toThrow(
      "Error while accessing 'x-ms-client-principal-id': property doesn't exist.",
    );
  });

  it('offers rand-guid and DateTime', () => {
    expect(resolveBindingExpression('{rand-guid}', data)).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolveBindingExpression('{DateTime}', data)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

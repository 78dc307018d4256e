/** Token rules (docs/signalr-service-contract.md §1.2, §2.2, §8.4): algorithms, lifetime with skew, user id claims. */
import type { IncomingMessage } from 'node:http';

import { authenticateClient, authenticateRest, type AuthSettings, resolveUserId } from './auth';
import { signJwt, verifyJwt } from './jwt';
import { startEmulator } from './server';
import { clientToken, KEY, nowSeconds, RawClient } from './testing/helpers';

const settings: AuthSettings = { accessKey: KEY, clockSkewSeconds: 300, checkLifetime: true };
const request = (host = 'localhost:8888'): IncomingMessage => ({ headers: { host } }) as IncomingMessage;
const restRequest = (token: string): IncomingMessage =>
  ({ headers: { host: 'localhost:8888', authorization: `Bearer ${token}` } }) as IncomingMessage;
const AUD = 'http://localhost/client/?hub=chat';

describe('resolveUserId', () => {
  const uri = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
  it('prefers asrs.s.uid, then nameid, then sub, then the nameidentifier URI', () => {
    expect(resolveUserId({ 'asrs.s.uid': 'a', nameid: 'b', sub: 'c', [uri]: 'd' })).toBe('a');
    expect(resolveUserId({ nameid: 'b', sub: 'c', [uri]: 'd' })).toBe('b');
    expect(resolveUserId({ sub: 'c', [uri]: 'd' })).toBe('c');
    expect(resolveUserId({ [uri]: 'd' })).toBe('d');
    expect(resolveUserId({ aud: AUD })).toBeUndefined();
  });
});

describe('authenticateClient', () => {
  const check = (token: string, s: AuthSettings = settings, host?: string) =>
    authenticateClient(request(host), token, 'chat', s);

  it('accepts HS256 and HS512 tokens minted with the UTF-8 key', () => {
    expect(check(clientToken('u', 'chat', {}, KEY, 'HS256')).ok).toBe(true);
    expect(check(clientToken('u', 'chat', {}, KEY, 'HS512')).ok).toBe(true);
  });

  it('accepts the minimal token the docs’ JS example mints (aud, exp, iat only)', () => {
    const token = signJwt({ aud: AUD, iat: nowSeconds(), exp: nowSeconds() + 3600 }, KEY);
    expect(check(token)).toMatchObject({ ok: true, principal: { userId: undefined } });
  });

  it('refuses alg none and tokens signed with another key', () => {
    const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    const body = Buffer.from(JSON.stringify({ aud: AUD, exp: nowSeconds() + 60 })).toString('base64url');
    expect(check(`${header}.${body}.`).ok).toBe(false);
    expect(check(clientToken('u', 'chat', {}, 'other-key')).ok).toBe(false);
  });

  it('allows exp/nbf within the configured skew, refuses beyond it, and can skip the check', () => {
    const expired100 = clientToken('u', 'chat', { exp: nowSeconds() - 100 });
    const early100 = clientToken('u', 'chat', { nbf: nowSeconds() + 100 });
    expect(check(expired100).ok).toBe(true);
    expect(check(early100).ok).toBe(true);
    const strict = { ...settings, clockSkewSeconds: 0 };
    expect(check(expired100, strict)).toEqual({ ok: false, reason: 'The token is expired' });
    expect(check(early100, strict)).toEqual({ ok: false, reason: 'The token is not yet valid' });
    expect(
      check(clientToken('u', 'chat', { exp: nowSeconds() - 86400 }), { ...settings, checkLifetime: false }).ok,
    ).toBe(true);
  });

  it('compares the audience on scheme, host and path, ignoring the port', () => {
    expect(check(clientToken('u', 'chat', { aud: 'http://localhost:8888/client/?hub=chat' })).ok).toBe(true);
    expect(
      check(clientToken('u', 'chat', { aud: 'http://127.0.0.1/client/?hub=chat' }), settings, '127.0.0.1:8888').ok,
    ).toBe(true);
    expect(check(clientToken('u', 'chat', { aud: 'http://localhost/api/hubs/chat' })).ok).toBe(false);
    expect(check(clientToken('u', 'chat', { aud: 'http://example.com/client/?hub=chat' })).ok).toBe(false);
  });
});

describe('authenticateRest', () => {
  it('accepts the request URL or the hub URL as audience, without port and with any query', () => {
    const path = '/api/hubs/chat/users/a%20b/:send';
    const token = (aud: string) => signJwt({ aud, exp: nowSeconds() + 60 }, KEY);
    const ok = (aud: string) => authenticateRest(restRequest(token(aud)), path, '/api/hubs/chat', settings).ok;
    expect(ok(`http://localhost${path}?api-version=2022-06-01`)).toBe(true);
    expect(ok(`http://localhost:8888${path}`)).toBe(true);
    expect(ok('http://localhost/api/hubs/chat/users/a b/:send')).toBe(true);
    expect(ok('http://localhost/api/hubs/chat')).toBe(true);
    expect(ok('http://localhost/api/hubs/other/:send')).toBe(false);
    expect(ok('http://localhost/client/?hub=chat')).toBe(false);
  });
});

describe('lifetime settings on the running emulator', () => {
  it('accepts an expired token when checkLifetime is false; refuses one 5 s old with clockSkewSeconds 0', async () => {
    const expired = clientToken('u', 'chat', { exp: nowSeconds() - 3600 });
    const lenient = await startEmulator({ port: 0, checkLifetime: false });
    const strict = await startEmulator({ port: 0, clockSkewSeconds: 0 });
    try {
      const client = await RawClient.connect(lenient, 'hub=chat', expired);
      await client.handshake();
      client.close();
      await expect(
        RawClient.connect(strict, 'hub=chat', clientToken('u', 'chat', { exp: nowSeconds() - 5 })),
      ).rejects.toThrow('HTTP 401');
    } finally {
      await lenient.close();
      await strict.close();
    }
  });
});

describe('remembered REST tokens', () => {
  it('checks the lifetime again on every use, and still checks the audience and the key', () => {
    const issued = 1_000_000;
    const token = signJwt({ aud: 'http://localhost/api/hubs/chat', iat: issued, exp: issued + 60 }, KEY);
    const at = (seconds: number) => () => seconds * 1000;
    const options = { remember: true, clockSkewSeconds: 0, audiences: ['http://localhost/api/hubs/chat'] };
    expect(verifyJwt(token, KEY, { ...options, now: at(issued + 1) }).ok).toBe(true);
    expect(verifyJwt(token, KEY, { ...options, now: at(issued + 2) }).ok).toBe(true); // from memory
    expect(verifyJwt(token, KEY, { ...options, now: at(issued + 61) })).toEqual({
      ok: false,
      reason: 'The token is expired',
    });
    expect(
      verifyJwt(token, KEY, { ...options, now: at(issued + 2), audiences: ['http://localhost/api/other'] }),
    ).toEqual({ ok: false, reason: 'The audience is invalid' });
    expect(verifyJwt(token, 'another-key-another-key-another-key!', { ...options, now: at(issued + 2) }).ok).toBe(
      false,
    );
  });
});

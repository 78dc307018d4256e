/** Function keys: ignored by default as under `func start`; with `keys` the runtime's rules per authLevel. */
import { startFixtureHost, type TestHost } from './testing/helpers';

async function status(host: TestHost, path: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${host.url}${path}`, { headers });
  await response.arrayBuffer();
  return response.status;
}

describe('without --keys', () => {
  let host: TestHost;
  beforeAll(async () => (host = await startFixtureHost('keys-app')));
  afterAll(() => host.close());

  it('serves every level without a key and makes none', async () => {
    expect(host.keys).toBeUndefined();
    expect(await status(host, '/api/keyed')).toBe(200);
    expect(await status(host, '/api/adminOnly')).toBe(200);
  });
});

describe('with --keys', () => {
  let host: TestHost;
  beforeAll(async () => (host = await startFixtureHost('keys-app', { keys: true })));
  afterAll(() => host.close());

  it('makes a master key, a host key and a key for each function-level function only', () => {
    const keys = host.keys!;
    expect(Object.keys(keys.functions).sort()).toEqual(['keyed', 'otherKeyed']);
    const all = [keys.master, keys.host, ...Object.values(keys.functions)];
    expect(new Set(all).size).toBe(all.length);
    for (const key of all) expect(key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('lets anonymous functions through without a key', async () => {
    expect(await status(host, '/api/open')).toBe(200);
  });

  it('answers 401 with the JSON error shape for a function-level call without a key or with a wrong one', async () => {
    const response = await fetch(`${host.url}/api/keyed`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'unauthenticated', message: 'keyed needs a function key (?code= or x-functions-key)' },
    });
    expect(await status(host, '/api/keyed?code=wrong')).toBe(401);
    expect(await status(host, `/api/keyed?code=${host.keys!.functions['otherKeyed']}`)).toBe(401);
  });

  it("accepts the function's own key, the host key and the master key, by ?code= or x-functions-key", async () => {
    const keys = host.keys!;
    expect(await status(host, `/api/keyed?code=${encodeURIComponent(keys.functions['keyed'])}`)).toBe(200);
    expect(await status(host, '/api/keyed', { 'x-functions-key': keys.functions['keyed'] })).toBe(200);
    expect(await status(host, '/api/keyed', { 'x-functions-key': keys.host })).toBe(200);
    expect(await status(host, `/api/otherKeyed?code=${keys.host}`)).toBe(200);
    expect(await status(host, `/api/keyed?code=${keys.master}`)).toBe(200);
  });

  it('lets admin-level functions through with the master key only', async () => {
    const keys = host.keys!;
    expect(await status(host, '/api/adminOnly')).toBe(401);
    expect(await status(host, '/api/adminOnly', { 'x-functions-key': keys.host })).toBe(401);
    expect(await status(host, `/api/adminOnly?code=${keys.functions['keyed']}`)).toBe(401);
    expect(await status(host, '/api/adminOnly', { 'x-functions-key': keys.master })).toBe(200);
  });
});

/** Paged, searchable people and rooms lists over spread partitions; DMs in per-user partitions. */
import { MAX_LIST_LIMIT } from '../contract';
import { postRoom } from './create-room';
import { postDm } from './direct-messages';
import { rememberUser } from './domain/people/people-store';
import type { Principal } from './platform/http/identity';
import { type HttpHandler, withErrors } from './platform/http/with-errors';
import { table } from './platform/storage/tables';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { invocation, request, type RequestOptions } from './testing/requests';
import { getUsers } from './users';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

interface Page {
  users?: { id: string; name: string; online: boolean }[];
  rooms?: { name: string; kind: string; title: string; joined: boolean }[];
  cursor?: string;
  error?: { code: string; message: string };
}

const call = async (handler: HttpHandler, method: string, path: string, options: RequestOptions = {}) => {
  const response = await withErrors(handler)(request(method, path, options), invocation(path));
  return { status: response.status, body: response.jsonBody as Page };
};

/** Follows cursors to the end, collecting every page. */
async function all(
  handler: HttpHandler,
  path: string,
  user: Principal,
  query: Record<string, string>,
): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(handler, 'GET', path, { user, query: { ...query, ...(cursor ? { cursor } : {}) } });
    expect(page.status).toBe(200);
    pages.push(page.body);
    cursor = page.body.cursor;
  } while (cursor && pages.length < 100);
  return pages;
}

const viewer: Principal = { id: 'dev-list-viewer', name: 'List viewer' };

describe('people by id', () => {
  it('answers the people asked for that Hubbub knows, once each, and refuses a bad or oversized ask', async () => {
    const known = { id: 'dev-byid-known0', name: 'Known, with a comma' };
    await rememberUser(known);
    const ids = [known.id, 'dev-byid-nobody', known.id].map((id) => `id=${encodeURIComponent(id)}`).join('&');
    const found = await call(getUsers, 'GET', `users?${ids}`, { user: viewer });
    expect(found.status).toBe(200);
    expect(found.body.users).toEqual([{ id: known.id, name: known.name, online: false, presence: 'offline' }]);
    expect(found.body.cursor).toBeUndefined();

    const bad = await call(getUsers, 'GET', 'users?id=a%2Fb', { user: viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toContain('/');
    const many = Array.from({ length: MAX_LIST_LIMIT + 1 }, (_, i) => `id=dev-byid-${i}`).join('&');
    expect((await call(getUsers, 'GET', `users?${many}`, { user: viewer })).status).toBe(400);
  });
});

describe('people list', () => {
  const people: Principal[] = Array.from({ length: 23 }, (_, i) => ({
    id: `dev-list-${String(i).padStart(2, '0')}`,
    name: `${i % 2 === 0 ? 'Zed' : 'zoë'} ${String(i).padStart(2, '0')}`,
  }));
  beforeAll(async () => {
    for (const person of people) await rememberUser(person);
    await rememberUser({ id: 'dev-list-li', name: '李雷' });
  });

  it('pages through everyone in name order, each person once', async () => {
    const pages = await all(getUsers, 'users', viewer, { limit: '5', query: 'z' });
    expect(pages.length).toBeGreaterThanOrEqual(5);
    for (const page of pages) expect(page.users!.length).toBeLessThanOrEqual(5);
    const names = pages.flatMap((p) => p.users!.map((u) => u.name));
    expect(names).toHaveLength(23);
    expect(new Set(names).size).toBe(23);
    expect(names.filter((n) => n.startsWith('Zed'))).toEqual([...names.filter((n) => n.startsWith('Zed'))].sort());
  });

  it('searches by name prefix, ignoring case, across scripts', async () => {
    const zoe = (await call(getUsers, 'GET', 'users', { user: viewer, query: { query: 'ZOË' } })).body.users!;
    expect(zoe.map((u) => u.name)).toEqual(people.filter((p) => p.name.startsWith('zoë')).map((p) => p.name));
    const li = (await call(getUsers, 'GET', 'users', { user: viewer, query: { query: '李' } })).body.users!;
    expect(li).toEqual([{ id: 'dev-list-li', name: '李雷', online: false, presence: 'offline' }]);
    expect((await call(getUsers, 'GET', 'users', { user: viewer, query: { query: 'nobody-by-this' } })).body).toEqual({
      users: [],
    });
  });

  it('a renamed person is listed once, under the new name', async () => {
    await rememberUser({ id: 'dev-list-00', name: 'Renamed Zed' });
    const found = (await call(getUsers, 'GET', 'users', { user: viewer, query: { query: 're' } })).body.users!;
    expect(found.map((u) => u.name)).toEqual(['Renamed Zed']);
    const zed = (await call(getUsers, 'GET', 'users', { user: viewer, query: { query: 'zed 00' } })).body.users!;
    expect(zed).toEqual([]);
  });

  it('refuses a limit out of range and a cursor it did not give with 400', async () => {
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: String(MAX_LIST_LIMIT + 1) },
      { limit: 'many' },
      { cursor: 'forged!' },
    ];
    for (const query of queries) {
      const response = await call(getUsers, 'GET', 'users', { user: viewer, query });
      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe('validation_failed');
    }
  });

  it('keeps people rows in spread partitions, not one', async () => {
    const client = await table('users');
    const partitions = new Set<string>();
    for await (const row of client.listEntities({ queryOptions: { select: ['PartitionKey'] } })) {
      partitions.add(row.partitionKey!);
    }
    expect([...partitions].filter((p) => p.startsWith('id_')).length).toBeGreaterThan(10);
    expect(partitions.has('user')).toBe(false);
  });
});

describe('rooms list', () => {
  const owner: Principal = { id: 'dev-list-owner', name: 'Owner' };
  const friend: Principal = { id: 'dev-list-friend', name: 'Friend' };
  beforeAll(async () => {
    for (let i = 0; i < 9; i++) {
      const name = `${'abc'[i % 3]}-list-${i}`;
      expect((await call(postRoom, 'POST', 'rooms', { user: owner, body: { name } })).status).toBe(201);
    }
    await rememberUser(friend);
    expect((await call(postDm, 'POST', 'dms', { user: owner, body: { userId: friend.id } })).status).toBe(200);
  });

  it('pages public rooms; the first page starts with general, the caller’s rooms and DMs', async () => {
    const pages = await all(getRooms, 'rooms', owner, { limit: '2', query: '' });
    const first = pages[0].rooms!;
    expect(first[0]).toMatchObject({ name: 'general', joined: true });
    expect(first.find((r) => r.kind === 'dm')).toMatchObject({ title: 'Friend', joined: true });
    const names = pages.flatMap((p) => p.rooms!.map((r) => r.name));
    expect(new Set(names).size).toBe(names.length);
    for (let i = 0; i < 9; i++) expect(names).toContain(`${'abc'[i % 3]}-list-${i}`);
    // Someone else sees the public rooms as not joined, and not the owner's DM.
    const theirs = (await all(getRooms, 'rooms', viewer, { limit: '50' })).flatMap((p) => p.rooms!);
    expect(theirs.find((r) => r.name === 'b-list-1')).toMatchObject({ joined: false });
    expect(theirs.some((r) => r.kind === 'dm')).toBe(false);
  });

  it('searches rooms by name prefix and DMs by the other person’s name', async () => {
    const b = (await call(getRooms, 'GET', 'rooms', { user: viewer, query: { query: 'b-list' } })).body.rooms!;
    expect(b.map((r) => r.name)).toEqual(['b-list-1', 'b-list-4', 'b-list-7']);
    const dm = (await call(getRooms, 'GET', 'rooms', { user: owner, query: { query: 'fri' } })).body.rooms!;
    expect(dm.map((r) => r.kind)).toEqual(['dm']);
  });

  it('keeps each person’s DMs in their own partition', async () => {
    const client = await table('rooms');
    for (const person of [owner, friend]) {
      const rows: unknown[] = [];
      for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq 'dms_${person.id}'` } })) {
        rows.push(row);
      }
      expect(rows).toHaveLength(1);
    }
  });
});

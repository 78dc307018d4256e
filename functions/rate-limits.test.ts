/** Limits on everything that fans out or stores: 429 with Retry-After, per person, kept in per-user partitions. */
import {
  DM_OPEN_RATE_LIMIT,
  LIST_READ_RATE_LIMIT,
  MEMBERSHIP_RATE_LIMIT,
  NEGOTIATE_RATE_LIMIT,
  ROOM_CREATE_RATE_LIMIT,
  SEND_RATE_LIMIT,
} from '../contract';
import { postRoom } from './create-room';
import { postDm } from './direct-messages';
import { rememberUser } from './domain/people/people-store';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { negotiate } from './negotiate';
import type { Principal } from './platform/http/identity';
import { takeSendToken, takeToken } from './platform/http/rate-limit';
import { type HttpHandler, withErrors } from './platform/http/with-errors';
import { connectionInfo, signalROut } from './platform/signalr/signalr';
import { table } from './platform/storage/tables';
import { getReadState } from './read-state';
import { getRoomMembers } from './room-members';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { alice, bob, invocation, request, type RequestOptions } from './testing/requests';
import { postTyping } from './typing';
import { getUsers } from './users';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const call = async (handler: HttpHandler, method: string, path: string, options: RequestOptions = {}) => {
  const context = invocation(path);
  context.extraInputs.set(connectionInfo, { url: 'http://localhost:8888/client/?hub=chat', accessToken: 't' });
  const response = await withErrors(handler)(request(method, path, options), context);
  return {
    status: response.status,
    headers: (response.headers ?? {}) as Record<string, string>,
    body: response.jsonBody as { error?: { code: string } },
    outputs: context.extraOutputs.get(signalROut),
  };
};

const person = (n: string): Principal => ({ id: `dev-limit-${n}`, name: `Limit ${n}` });

function expectRefused(response: Awaited<ReturnType<typeof call>>): void {
  expect(response.status).toBe(429);
  expect(response.body.error?.code).toBe('rate_limited');
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(response.outputs).toBeUndefined();
}

describe('rate limits', () => {
  it('typing: about one per 2 s per person and room; 20 at once fan out once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(postTyping, 'POST', 'rooms/general/typing', { user: alice, params: { room: 'general' } }),
      ),
    );
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    for (const refused of results.filter((r) => r.status !== 202)) expectRefused(refused);
    // Another person's budget is their own.
    expect(
      (await call(postTyping, 'POST', 'rooms/general/typing', { user: bob, params: { room: 'general' } })).status,
    ).toBe(202);
  });

  it('room creation: ROOM_CREATE_RATE_LIMIT per person, then 429 and nothing created or announced', async () => {
    const creator = person('creator');
    for (let i = 0; i < ROOM_CREATE_RATE_LIMIT.max; i++) {
      expect((await call(postRoom, 'POST', 'rooms', { user: creator, body: { name: `limited-${i}` } })).status).toBe(
        201,
      );
    }
    expectRefused(await call(postRoom, 'POST', 'rooms', { user: creator, body: { name: 'limited-more' } }));
  });

  it('joins and leaves share MEMBERSHIP_RATE_LIMIT', async () => {
    expect(
      (await call(postRoom, 'POST', 'rooms', { user: person('revolver'), body: { name: 'revolving' } })).status,
    ).toBe(201);
    const joiner = person('joiner');
    const params = { room: 'revolving' };
    for (let i = 0; i < MEMBERSHIP_RATE_LIMIT.max; i++) {
      const handler = i % 2 === 0 ? postJoin : postLeave;
      expect([200, 204]).toContain((await call(handler, 'POST', 'rooms/revolving/x', { user: joiner, params })).status);
    }
    expectRefused(await call(postJoin, 'POST', 'rooms/revolving/join', { user: joiner, params }));
    expectRefused(await call(postLeave, 'POST', 'rooms/revolving/leave', { user: joiner, params }));
  });

  it('direct messages: DM_OPEN_RATE_LIMIT per person', async () => {
    const opener = person('opener');
    await rememberUser(bob);
    for (let i = 0; i < DM_OPEN_RATE_LIMIT.max; i++) {
      expect((await call(postDm, 'POST', 'dms', { user: opener, body: { userId: bob.id } })).status).toBe(200);
    }
    expectRefused(await call(postDm, 'POST', 'dms', { user: opener, body: { userId: bob.id } }));
  });

  it('negotiate: NEGOTIATE_RATE_LIMIT per person', async () => {
    const connector = person('connector');
    // In bursts of ten at once, as tabs reconnecting together would.
    const results: Awaited<ReturnType<typeof call>>[] = [];
    for (let burst = 0; burst < NEGOTIATE_RATE_LIMIT.max / 10 + 1; burst++) {
      const burstOf = Array.from({ length: 10 }, () => call(negotiate, 'POST', 'negotiate', { user: connector }));
      results.push(...(await Promise.all(burstOf)));
    }
    expect(results.filter((r) => r.status === 200)).toHaveLength(NEGOTIATE_RATE_LIMIT.max);
    for (const refused of results.filter((r) => r.status !== 200)) expectRefused(refused);
  }, 30_000);

  it('list reads: LIST_READ_RATE_LIMIT per person and route; ten reconnects of the SPA stay far below it', async () => {
    const reader = person(`reader-${Date.now()}`);
    const lists = [
      ['users', getUsers, 'users', {}],
      ['rooms', getRooms, 'rooms', {}],
      ['members', getRoomMembers, 'rooms/general/members', { room: 'general' }],
      ['read-state', getReadState, 'read-state', {}],
    ] as const;
    const read = (i: number) => {
      const [, handler, path, params] = lists[i];
      return call(handler, 'GET', path, { user: reader, params });
    };
    // What the SPA reads on a connect or reconnect (users, rooms, read state; members of the room
    // open, and a few searches as `@` is typed), ten times over.
    for (let reconnect = 0; reconnect < 10; reconnect++) {
      const statuses = await Promise.all([read(0), read(1), read(3), read(2), read(2), read(2)]);
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    }
    // Each route's bucket, used up (as the route takes it), refuses that route only.
    for (const [route] of lists) {
      for (let i = 0; i < LIST_READ_RATE_LIMIT.max; i++)
        await takeToken(`list-${route}`, reader.id, LIST_READ_RATE_LIMIT);
    }
    for (let i = 0; i < lists.length; i++) expectRefused(await read(i));
    const other = person(`reader-other-${Date.now()}`);
    expect((await call(getReadState, 'GET', 'read-state', { user: other })).status).toBe(200);
  }, 60_000);

  it('takeSendToken keeps its meaning; every bucket is a row of the person’s own partition', async () => {
    const sender = person('sender');
    const now = 1_000_000;
    for (let i = 0; i < SEND_RATE_LIMIT.max; i++)
      expect(await takeSendToken(sender.id, now + i)).toEqual({ allowed: true });
    expect(await takeSendToken(sender.id, now + 100)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(await takeSendToken(sender.id, now + SEND_RATE_LIMIT.windowMs + 1)).toEqual({ allowed: true });
    expect(await takeToken('other', sender.id, { max: 1, windowMs: 1000 }, now)).toEqual({ allowed: true });

    const client = await table('ratelimits');
    const rows: { partitionKey?: string; rowKey?: string }[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq 'u_${sender.id}'` } })) {
      rows.push(row);
    }
    expect(rows.map((r) => r.rowKey).sort()).toEqual(['other', 'send']);
  });
});

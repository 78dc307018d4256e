/**
 * Blocking, against Azurite: once Ann blocks Ben, Ben can neither open a DM with her nor send in
 * the one they had, his mentions and `@room` do not notify her or count for her, and the list shows
 * him until she unblocks him (when all of it comes back). Changes are rate-limited, the list is
 * bounded, and a count reads the block set at most once per request.
 */
import { randomUUID } from 'node:crypto';

import { BLOCK_RATE_LIMIT, type BlockList, type Message, type ReadStateList } from '../contract';
import { changeBlock, getBlocks } from './blocks';
import { postDm } from './direct-messages';
import { blocks } from './domain/people/blocks-store';
import { addMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { getHistory } from './history';
import { postMessage } from './messages';
import type { Principal } from './platform/http/identity';
import { table } from './platform/storage/tables';
import { getReadState } from './read-state';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';
import { countRoundTrips } from './testing/round-trips';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = (name: string): Principal => ({ id: `dev-blk-${name}-${randomUUID().slice(0, 8)}`, name });
type Action = { target?: string; userId?: string; groupName?: string };

const blockOf = (user: Principal, other: Principal | string, method: 'PUT' | 'DELETE' = 'PUT') => {
  const userId = typeof other === 'string' ? other : other.id;
  return call(changeBlock, method, `me/blocks/${userId}`, { user, params: { userId } });
};
const listOf = async (user: Principal) => (await call<BlockList>(getBlocks, 'GET', 'me/blocks', { user })).body.users;
const openDm = (user: Principal, other: Principal) =>
  call<{ name: string; error?: { message: string } }>(postDm, 'POST', 'dms', { user, body: { userId: other.id } });
const send = (user: Principal, room: string, text: string, extra: Record<string, unknown> = {}) =>
  call<Message & { error?: { code: string; message: string } }>(postMessage, 'POST', 'messages', {
    user,
    body: { id: randomUUID(), room, text, ...extra },
  });
const mentionsOf = (outputs: unknown[] | undefined) =>
  ((outputs ?? []) as Action[]).filter((a) => a.target === 'mention').map((a) => a.userId ?? `group:${a.groupName}`);
const countsOf = async (user: Principal, room: string) =>
  (await call<ReadStateList>(getReadState, 'GET', 'read-state', { user })).body.rooms.find((r) => r.room === room);

describe('blocking someone', () => {
  it('lists them, once however often repeated, and unblocking takes them off', async () => {
    const [ann, ben, cat] = [person('ann'), person('ben'), person('cat')];
    for (const p of [ann, ben, cat]) await signIn(p);
    expect(await listOf(ann)).toEqual([]);
    const blocked = await blockOf(ann, ben);
    expect(blocked).toMatchObject({ status: 200, body: { id: ben.id, name: 'ben' } });
    expect((await blockOf(ann, ben)).status).toBe(200);
    expect((await blockOf(ann, cat)).status).toBe(200);
    const listed = await listOf(ann);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        { id: cat.id, name: 'cat', online: false, presence: 'offline' },
        { id: ben.id, name: 'ben', online: false, presence: 'offline' },
      ]),
    );
    // Only Ann's list: Ben blocked nobody.
    expect(await listOf(ben)).toEqual([]);
    expect((await blockOf(ann, ben, 'DELETE')).status).toBe(204);
    expect((await blockOf(ann, ben, 'DELETE')).status).toBe(204);
    expect(await listOf(ann)).toEqual([{ id: cat.id, name: 'cat', online: false, presence: 'offline' }]);
  }, 30_000);

  it('refuses oneself (400), someone Hubbub never saw (404), a bad id (400), and the signed out (401)', async () => {
    const ann = person('ann');
    await signIn(ann);
    expect((await blockOf(ann, ann)).status).toBe(400);
    expect((await blockOf(ann, `dev-blk-nobody-${randomUUID()}`)).status).toBe(404);
    expect((await blockOf(ann, 'a#b')).status).toBe(400);
    expect((await call(changeBlock, 'PUT', 'me/blocks/x', { params: { userId: 'x' } })).status).toBe(401);
    expect((await call(getBlocks, 'GET', 'me/blocks')).status).toBe(401);
  });

  it(`allows ${BLOCK_RATE_LIMIT.max} changes a minute, then 429 with Retry-After`, async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    for (let i = 0; i < BLOCK_RATE_LIMIT.max; i++) {
      expect((await blockOf(ann, ben, i % 2 === 0 ? 'PUT' : 'DELETE')).status).toBeLessThan(300);
    }
    const refused = await blockOf(ann, ben);
    expect(refused.status).toBe(429);
    expect(Number((refused.headers as Record<string, string>)['retry-after'])).toBeGreaterThan(0);
  }, 30_000);

  it('refuses a block past 1,000 people with 409, and stores nothing', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    // A full list, as a thousand blocks would leave it (the set row the store keeps beside the list).
    const full = Array.from({ length: 1000 }, (_, i) => i.toString(16).padStart(16, '0')).join(',');
    const users = await table('users');
    await users.createEntity({ partitionKey: `blocks_${ann.id}`, rowKey: 'set', hashes: full });
    const refused = await blockOf(ann, ben);
    expect(refused.status).toBe(409);
    expect(await blocks(ann.id, ben.id)).toBe(false);
    expect(await listOf(ann)).toEqual([]);
  });
});

describe('a blocked person and direct messages', () => {
  it('cannot open a DM with the blocker, nor the blocker with them, until unblocked', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    await blockOf(ann, ben);
    const his = await openDm(ben, ann);
    expect(his.status).toBe(403);
    expect(his.body.error?.message).toBe("You can't message this person");
    const hers = await openDm(ann, ben);
    expect(hers.status).toBe(403);
    expect(hers.body.error?.message).toMatch(/You blocked this person/);
    await blockOf(ann, ben, 'DELETE');
    expect((await openDm(ben, ann)).status).toBe(200);
  }, 30_000);

  it('cannot send in the DM they had (nothing stored, nobody told); the blocker cannot either; unblocking restores both', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    const dm = (await openDm(ben, ann)).body.name;
    expect((await send(ben, dm, 'before')).status).toBe(201);
    await blockOf(ann, ben);

    const refused = await send(ben, dm, 'after');
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toBe("You can't message this person");
    expect(refused.outputs).toBeUndefined();
    expect((await send(ann, dm, 'mine')).status).toBe(403);
    const history = await call<{ messages: Message[] }>(getHistory, 'GET', `rooms/${dm}/messages`, {
      user: ann,
      params: { room: dm },
    });
    expect(history.body.messages.map((m) => m.text)).toEqual(['before']);

    await blockOf(ann, ben, 'DELETE');
    const again = await send(ben, dm, 'unblocked');
    expect(again.status).toBe(201);
    expect(mentionsOf(again.outputs)).toEqual([ann.id]);
  }, 30_000);
});

describe("a blocked person's mentions", () => {
  it('neither notify the blocker nor count for her, by name or @room, and count again once unblocked', async () => {
    const [ann, ben, cat] = [person('ann'), person('ben'), person('cat')];
    for (const p of [ann, ben, cat]) await signIn(p);
    const room = `blk-${randomUUID().slice(0, 8)}`;
    expect(await createRoom(room, cat)).toBe(true);
    await addMember(room, ann);
    await addMember(room, ben);
    await blockOf(ann, ben);

    const named = await send(ben, room, `<@${ann.id}> <@${cat.id}> look`, { mentions: [ann.id, cat.id] });
    expect(named.status).toBe(201);
    // The message still names her (everyone else sees the mention); only she is not told.
    expect(named.body.mentions).toEqual([ann.id, cat.id]);
    expect(mentionsOf(named.outputs)).toEqual([cat.id]);
    const everyone = await send(ben, room, '@room hello', { mentionsRoom: true });
    expect(everyone.status).toBe(201);
    // `@room` is one group event: her client skips a blocked sender's (src/app/people).
    expect(mentionsOf(everyone.outputs)).toEqual([`group:${room}`]);

    expect(await countsOf(ann, room)).toMatchObject({ unread: 2, mentions: 0 });
    expect(await countsOf(cat, room)).toMatchObject({ unread: 2, mentions: 2 });
    // Someone she did not block still counts.
    expect((await send(cat, room, `<@${ann.id}>`, { mentions: [ann.id] })).status).toBe(201);
    expect(await countsOf(ann, room)).toMatchObject({ unread: 3, mentions: 1 });

    await blockOf(ann, ben, 'DELETE');
    expect(await countsOf(ann, room)).toMatchObject({ unread: 3, mentions: 3 });
    const told = await send(ben, room, `<@${ann.id}>`, { mentions: [ann.id] });
    expect(mentionsOf(told.outputs)).toEqual([ann.id]);
  }, 60_000);

  it('cost the read state one read of the block set, however many rooms have mentions', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    const rooms = Array.from({ length: 4 }, (_, i) => `blk-${i}-${randomUUID().slice(0, 6)}`);
    for (const room of rooms) {
      expect(await createRoom(room, ben)).toBe(true);
      await addMember(room, ann);
      expect((await send(ben, room, `<@${ann.id}>`, { mentions: [ann.id] })).status).toBe(201);
    }
    await blockOf(ann, ben);
    const { result, trips } = await countRoundTrips(() => countsOf(ann, rooms[0]));
    expect(result).toMatchObject({ unread: 1, mentions: 0 });
    expect(trips.filter((t) => t.table === 'users')).toHaveLength(1);
  }, 60_000);
});

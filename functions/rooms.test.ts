import { MODERATORS_SETTING } from '../contract';
import { postRoom } from './create-room';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import type { Principal } from './platform/http/identity';
import { table } from './platform/storage/tables';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { carol } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const listed = async (viewer: Principal, name: string) =>
  // By name: the shared Azurite holds every suite's rooms, more than a first page.
  (
    (await call(getRooms, 'GET', 'rooms', { user: viewer, query: { query: name } })).body['rooms'] as Record<
      string,
      unknown
    >[]
  ).find((r) => r['name'] === name);

describe('rooms', () => {
  it('lists general for everyone, joined', async () => {
    const { status, body } = await call(getRooms, 'GET', 'rooms', { user: carol });
    expect(status).toBe(200);
    expect(body['rooms']).toContainEqual({ name: 'general', kind: 'room', title: 'general', joined: true });
  });

  it("tells only a room's creator, and general's moderators, that they moderate it", async () => {
    const maker: Principal = { id: 'rooms-maker', name: 'Maker' };
    const other: Principal = { id: 'rooms-other', name: 'Other' };
    expect((await call(postRoom, 'POST', 'rooms', { user: maker, body: { name: 'makers-room' } })).status).toBe(201);
    expect(await listed(maker, 'makers-room')).toMatchObject({ moderator: true });
    expect(await listed(other, 'makers-room')).not.toHaveProperty('moderator');

    const before = process.env[MODERATORS_SETTING];
    process.env[MODERATORS_SETTING] = other.id;
    try {
      expect(await listed(other, 'general')).toMatchObject({ moderator: true });
      expect(await listed(maker, 'general')).not.toHaveProperty('moderator');
    } finally {
      if (before === undefined) delete process.env[MODERATORS_SETTING];
      else process.env[MODERATORS_SETTING] = before;
    }
  });

  it('hands ownership on when the creator leaves; a rejoining creator is a member', async () => {
    const maker: Principal = { id: 'rooms-maker-2', name: 'Maker' };
    const joiner: Principal = { id: 'rooms-joiner-2', name: 'Joiner' };
    const room = 'makers-second';
    const as = (user: Principal, handler: typeof postJoin, action: string) =>
      call(handler, 'POST', `rooms/${room}/${action}`, { user, params: { room } });
    expect((await call(postRoom, 'POST', 'rooms', { user: maker, body: { name: room } })).status).toBe(201);
    expect(await listed(maker, room)).toEqual({
      name: room,
      kind: 'room',
      title: room,
      joined: true,
      moderator: true,
      role: 'owner',
    });
    expect((await as(joiner, postJoin, 'join')).status).toBe(200);
    expect(await listed(joiner, room)).toEqual({ name: room, kind: 'room', title: room, joined: true, role: 'member' });

    expect((await as(maker, postLeave, 'leave')).status).toBe(204);
    expect(await listed(joiner, room)).toEqual({
      name: room,
      kind: 'room',
      title: room,
      joined: true,
      moderator: true,
      role: 'owner',
    });
    expect((await as(maker, postJoin, 'join')).status).toBe(200);
    expect(await listed(maker, room)).toEqual({ name: room, kind: 'room', title: room, joined: true, role: 'member' });
  });

  it('takes the creator of a room from before roles for its owner, rejoining included', async () => {
    const maker: Principal = { id: 'rooms-maker-3', name: 'Maker' };
    const room = 'makers-old';
    expect((await call(postRoom, 'POST', 'rooms', { user: maker, body: { name: room } })).status).toBe(201);
    // Rows as written before roles: the room's row names no owner, the membership row no role or flag.
    const rooms = await table('rooms');
    const row = await rooms.getEntity<Record<string, unknown>>('room_m', room);
    const { etag: _etag, timestamp: _timestamp, owner: _owner, ...old } = row;
    await rooms.upsertEntity({ ...old, partitionKey: 'room_m', rowKey: room }, 'Replace');
    const memberships = await table('memberships');
    await memberships.upsertEntity(
      { partitionKey: `user_${maker.id}`, rowKey: room, name: room, joinedAt: new Date().toISOString() },
      'Replace',
    );
    const owned = { name: room, kind: 'room', title: room, joined: true, moderator: true, role: 'owner' };
    expect(await listed(maker, room)).toEqual(owned);
    // Alone in it, they leave with nobody to hand it to: the room has no owner, and its row now
    // says so, so coming back they are a member.
    expect((await call(postLeave, 'POST', `rooms/${room}/leave`, { user: maker, params: { room } })).status).toBe(204);
    expect((await call(postJoin, 'POST', `rooms/${room}/join`, { user: maker, params: { room } })).status).toBe(200);
    expect(await listed(maker, room)).toEqual({ name: room, kind: 'room', title: room, joined: true, role: 'member' });
  });
});

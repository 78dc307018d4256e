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
  ((await call(getRooms, 'GET', 'rooms', { user: viewer })).body['rooms'] as Record<string, unknown>[]).find(
    (r) => r['name'] === name,
  );

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

  it('keeps the creator a moderator of their room through joining, leaving and rejoining, old rows included', async () => {
    const maker: Principal = { id: 'rooms-maker-2', name: 'Maker' };
    const joiner: Principal = { id: 'rooms-joiner-2', name: 'Joiner' };
    const room = 'makers-second';
    const as = (user: Principal, handler: typeof postJoin, action: string) =>
      call(handler, 'POST', `rooms/${room}/${action}`, { user, params: { room } });
    expect((await call(postRoom, 'POST', 'rooms', { user: maker, body: { name: room } })).status).toBe(201);
    expect((await as(joiner, postJoin, 'join')).status).toBe(200);
    expect(await listed(joiner, room)).toEqual({ name: room, kind: 'room', title: room, joined: true });

    expect((await as(maker, postLeave, 'leave')).status).toBe(204);
    expect(await listed(maker, room)).toMatchObject({ joined: false, moderator: true });
    expect((await as(maker, postJoin, 'join')).status).toBe(200);
    expect(await listed(maker, room)).toEqual({ name: room, kind: 'room', title: room, joined: true, moderator: true });

    // A membership row written before rows said who moderates: the room's own row answers.
    const memberships = await table('memberships');
    await memberships.upsertEntity(
      { partitionKey: `user_${maker.id}`, rowKey: room, name: room, joinedAt: new Date().toISOString() },
      'Replace',
    );
    expect(await listed(maker, room)).toEqual({ name: room, kind: 'room', title: room, joined: true, moderator: true });
  });
});

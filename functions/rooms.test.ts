import { MODERATORS_SETTING } from '../contract';
import { postRoom } from './create-room';
import type { Principal } from './lib/identity';
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
});

/**
 * Notification levels per room, against Azurite: `all`, `mentions` (the default) or `nothing`,
 * kept with the read state (`notify`, and `muted` for older clients), members only, and the older
 * mute route mapping onto them.
 */
import { randomUUID } from 'node:crypto';

import type { ReadState, ReadStateList } from '../contract';
import { allLevelOf } from './domain/push/notify-levels';
import { addMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { putMute } from './mute-room';
import type { Principal } from './platform/http/identity';
import { getReadState } from './read-state';
import { putRoomNotifications } from './room-notifications';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = (name: string): Principal => ({ id: `dev-nl-${name}-${randomUUID().slice(0, 8)}`, name });

async function newRoom(...members: Principal[]): Promise<string> {
  const room = `nl-${randomUUID().slice(0, 8)}`;
  expect(await createRoom(room, members[0], true)).toBe(true);
  for (const user of members) await addMember(room, user);
  return room;
}

const setLevel = (user: Principal, room: string, body: unknown) =>
  call<ReadState & { error?: { message: string } }>(putRoomNotifications, 'PUT', `rooms/${room}/notifications`, {
    user,
    params: { room },
    body,
  });
const stateOf = async (user: Principal, room: string) =>
  (await call<ReadStateList>(getReadState, 'GET', 'read-state', { user })).body.rooms.find((r) => r.room === room);

describe('notification levels', () => {
  it('defaults to mentions, stores each level and tells the person’s tabs', async () => {
    const ann = person('ann');
    const room = await newRoom(ann);
    expect(await stateOf(ann, room)).toMatchObject({ notify: 'mentions', muted: false });

    const all = await setLevel(ann, room, { level: 'all' });
    expect(all).toMatchObject({ status: 200, body: { room, notify: 'all', muted: false } });
    expect(all.outputs).toEqual([{ target: 'readState', userId: ann.id, arguments: [all.body] }]);
    expect(await allLevelOf(room)).toEqual([ann.id]);

    const nothing = await setLevel(ann, room, { level: 'nothing' });
    expect(nothing.body).toMatchObject({ notify: 'nothing', muted: true });
    expect(await stateOf(ann, room)).toMatchObject({ notify: 'nothing', muted: true });
    expect(await allLevelOf(room)).toEqual([]);

    // The same level again changes nothing and tells nobody.
    const again = await setLevel(ann, room, { level: 'nothing' });
    expect(again.status).toBe(200);
    expect(again.outputs).toBeUndefined();
  });

  it('keeps the mute route: true is nothing, false is mentions', async () => {
    const ben = person('ben');
    const room = await newRoom(ben);
    await setLevel(ben, room, { level: 'all' });
    const mute = (muted: boolean) =>
      call<ReadState>(putMute, 'PUT', `rooms/${room}/mute`, { user: ben, params: { room }, body: { muted } });
    expect((await mute(true)).body).toMatchObject({ notify: 'nothing', muted: true });
    expect(await allLevelOf(room)).toEqual([]);
    expect((await mute(false)).body).toMatchObject({ notify: 'mentions', muted: false });
  });

  it('refuses an unknown level and a non-member of a private room as if it did not exist', async () => {
    const cat = person('cat');
    const out = person('out');
    const room = await newRoom(cat);
    expect(await setLevel(cat, room, { level: 'loud' })).toMatchObject({
      status: 400,
      body: { error: { message: 'level must be "all", "mentions" or "nothing"' } },
    });
    expect((await setLevel(out, room, { level: 'all' })).status).toBe(404);
    expect(await allLevelOf(room)).toEqual([]);
  });
});

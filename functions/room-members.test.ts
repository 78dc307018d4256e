/** The members list of a room: whom the `@` list offers, and whom `@room` reaches. */
import { randomUUID } from 'node:crypto';

import type { MemberList } from '../contract';
import { rememberUser } from './domain/people/people-store';
import { listMembers, membersOf } from './domain/rooms/member-index-store';
import { addMember, removeMember } from './domain/rooms/membership-changes';
import { isMember } from './domain/rooms/memberships-store';
import { createRoom } from './domain/rooms/rooms-store';
import { getRoomMembers } from './room-members';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const ann = { id: 'dev-rm-ann000000000', name: 'Ann' };
const ben = { id: 'dev-rm-ben000000000', name: 'Ben' };
const bea = { id: 'dev-rm-bea000000000', name: 'beatrix' };
const cat = { id: 'dev-rm-cat000000000', name: 'Cat' };
type Person = typeof ann;

async function newRoom(...members: Person[]): Promise<string> {
  const room = `rm-${randomUUID().slice(0, 8)}`;
  expect(await createRoom(room, ann)).toBe(true);
  for (const user of members) await addMember(room, user);
  return room;
}

const members = (user: Person, room: string, query: Record<string, string> = {}) =>
  call<MemberList & { error?: { message: string } }>(getRoomMembers, 'GET', `rooms/${room}/members`, {
    user,
    params: { room },
    query,
  });
const names = (list: MemberList) => list.members.map((m) => m.name).sort();

describe('room members', () => {
  it('lists the people in the room, and follows joins and leaves', async () => {
    const room = await newRoom(ben);
    const first = await members(ann, room);
    expect(first.status).toBe(200);
    expect(names(first.body)).toEqual(['Ann', 'Ben']);
    expect(first.body.members).toContainEqual({
      id: ben.id,
      name: 'Ben',
      role: 'member',
      online: false,
      presence: 'offline',
    });
    expect(first.body.members).toContainEqual({
      id: ann.id,
      name: 'Ann',
      role: 'owner',
      online: false,
      presence: 'offline',
    });

    await addMember(room, cat);
    expect(names((await members(ben, room)).body)).toEqual(['Ann', 'Ben', 'Cat']);
    await removeMember(room, ben.id);
    expect(names((await members(ann, room)).body)).toEqual(['Ann', 'Cat']);
    expect((await membersOf(room)).sort()).toEqual([ann.id, cat.id].sort());
    await addMember(room, ben);
    expect(names((await members(ann, room)).body)).toEqual(['Ann', 'Ben', 'Cat']);
  });

  it('refuses people outside the room (403) and rooms that do not exist (404), with a message', async () => {
    const room = await newRoom(ben);
    const outside = await members(cat, room);
    expect(outside.status).toBe(403);
    expect(outside.body.error?.message).toContain(room);
    expect((await members(cat, `rm-none-${randomUUID().slice(0, 8)}`)).status).toBe(404);
    expect((await members(ann, 'Not A Room')).status).toBe(400);
  });

  it('finds members by name prefix without regard to case, and pages with cursors', async () => {
    const room = await newRoom(ben, bea, cat);
    expect(names((await members(ann, room, { query: 'BE' })).body)).toEqual(['Ben', 'beatrix']);
    expect(names((await members(ann, room, { query: 'bea' })).body)).toEqual(['beatrix']);
    expect((await members(ann, room, { query: 'zz' })).body.members).toEqual([]);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await members(ann, room, { limit: '1', ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      expect(page.body.members.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.members.map((m) => m.name));
      cursor = page.body.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(['Ann', 'Ben', 'Cat', 'beatrix']);
    expect(pages).toBeGreaterThanOrEqual(4);

    expect((await members(ann, room, { cursor: 'made-up' })).status).toBe(400);
    expect((await members(ann, room, { query: 'x'.repeat(65) })).status).toBe(400);
  });

  it('answers the people list for general, where everyone is', async () => {
    await rememberUser(ann);
    await rememberUser(bea);
    const list = await members(cat, 'general', { query: 'beat' });
    expect(list.status).toBe(200);
    expect(list.body.members).toContainEqual({ id: bea.id, name: 'beatrix', online: false, presence: 'offline' });
  });

  it('ends agreeing with the memberships when one person joins and leaves at once, round after round', async () => {
    const room = await newRoom();
    for (let round = 0; round < 12; round++) {
      // Both changes race for Ben's partition; whichever commits last is the truth, and the index
      // must say the same whichever of their index writes lands last.
      await Promise.all([addMember(room, ben), removeMember(room, ben.id)]);
      const truth = await isMember(room, ben.id);
      const listed = (await listMembers(room, { query: '', limit: 100 })).members.some((m) => m.id === ben.id);
      expect({ round, listed }).toEqual({ round, listed: truth });
      expect((await membersOf(room)).includes(ben.id)).toBe(truth);
    }
  });
});

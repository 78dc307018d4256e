/** Group conversations (3-8 people): opened from the people list or by adding someone to a DM. */
import { randomUUID } from 'node:crypto';

import type { MemberList, Message, Room } from '../contract';
import { postRoomMember } from './add-room-member';
import { postDm } from './direct-messages';
import { getHistory } from './history';
import { postMessage } from './messages';
import type { Principal } from './platform/http/identity';
import { getRoomMembers } from './room-members';
import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = async (name: string): Promise<Principal> => {
  const user = { id: `dev-gdm-${name}-${randomUUID().slice(0, 8)}`, name };
  await signIn(user);
  return user;
};
const open = (user: Principal, body: unknown) =>
  call<Room & { error?: { message: string } }>(postDm, 'POST', 'dms', { user, body });
const listed = async (user: Principal, name: string) =>
  (await call<{ rooms: Room[] }>(getRooms, 'GET', 'rooms', { user })).body.rooms.find((r) => r.name === name);
const mentioned = (outputs: unknown[] | undefined) =>
  ((outputs ?? []) as { target?: string; userId?: string }[])
    .filter((a) => a.target === 'mention')
    .map((a) => a.userId)
    .sort();

describe('group conversations', () => {
  it('open for 3 people: everyone is in at once and told, titled by the others, unseen by anyone else', async () => {
    const [ann, ben, cat, eve] = [await person('Ann'), await person('Ben'), await person('Cat'), await person('Eve')];
    const opened = await open(ann, { userIds: [ben.id, cat.id] });
    expect(opened.status).toBe(200);
    const room = opened.body.name;
    expect(opened.body).toMatchObject({ kind: 'dm', title: 'Ben, Cat', joined: true });
    expect(opened.body.members?.map((m) => m.name)).toEqual(['Ann', 'Ben', 'Cat']);
    expect(opened.outputs).toEqual([
      { action: 'add', groupName: room, userId: ann.id },
      { action: 'add', groupName: room, userId: ben.id },
      { action: 'add', groupName: room, userId: cat.id },
      {
        target: 'membership',
        arguments: [{ name: room, room: expect.objectContaining({ title: 'Ann, Cat', joined: true }) as unknown }],
        userId: ben.id,
      },
      {
        target: 'membership',
        arguments: [{ name: room, room: expect.objectContaining({ title: 'Ann, Ben', joined: true }) as unknown }],
        userId: cat.id,
      },
    ]);
    expect(await listed(ben, room)).toMatchObject({ title: 'Ann, Cat' });
    // The same people, in any order, reopen the same conversation.
    expect((await open(cat, { userIds: [ann.id, ben.id] })).body.name).toBe(room);

    const sent = await call<Message>(postMessage, 'POST', 'messages', {
      user: ann,
      body: { id: randomUUID(), room, text: 'plans?' },
    });
    expect(mentioned(sent.outputs)).toEqual([ben.id, cat.id].sort());
    const members = await call<MemberList>(getRoomMembers, 'GET', 'x', { user: ben, params: { room } });
    expect(members.body.members.map((m) => m.name).sort()).toEqual(['Ann', 'Ben', 'Cat']);

    expect(await listed(eve, room)).toBeUndefined();
    const stranger = await call(getHistory, 'GET', 'x', { user: eve, params: { room } });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ error: { code: 'not_found', message: `No room ${room}` } });
  });

  it('refuses fewer than 2 or more than 7 others, oneself, and people Hubbub does not know', async () => {
    const [ann, ben] = [await person('Ann'), await person('Ben')];
    const many = Array.from({ length: 8 }, (_, i) => `dev-gdm-many-${i}`);
    for (const userIds of [[ben.id], many, [ben.id, ann.id], 'x']) {
      const refused = await open(ann, { userIds });
      expect(refused.status).toBe(400);
      expect(refused.body.error?.message).toBe('userIds must name 2-7 other people');
    }
    expect((await open(ann, { userIds: [ben.id, 'dev-gdm-nobody'] })).status).toBe(404);
  });

  it('adding someone to a DM starts a new group conversation; the DM stays theirs alone', async () => {
    const [ann, ben, cat] = [await person('Ann'), await person('Ben'), await person('Cat')];
    const dm = (await open(ann, { userId: ben.id })).body.name;
    await call(postMessage, 'POST', 'messages', { user: ann, body: { id: randomUUID(), room: dm, text: 'just us' } });
    const added = await call<Room>(postRoomMember, 'POST', 'x', {
      user: ann,
      params: { room: dm },
      body: { userId: cat.id },
    });
    expect(added.status).toBe(201);
    expect(added.body.name).not.toBe(dm);
    expect(added.body).toMatchObject({ kind: 'dm', title: 'Ben, Cat' });
    expect(added.outputs).toContainEqual({ action: 'add', groupName: added.body.name, userId: cat.id });
    // Cat sees the new conversation, empty, and nothing of the DM.
    const fresh = await call<{ messages: Message[] }>(getHistory, 'GET', 'x', {
      user: cat,
      params: { room: added.body.name },
    });
    expect(fresh.body.messages).toEqual([]);
    expect((await call(getHistory, 'GET', 'x', { user: cat, params: { room: dm } })).status).toBe(404);
    const dmMembers = await call<MemberList>(getRoomMembers, 'GET', 'x', { user: ben, params: { room: dm } });
    expect(dmMembers.body.members.map((m) => m.name).sort()).toEqual(['Ann', 'Ben']);
    // Someone in it already: 400; a stranger adding to the DM: as no such room.
    expect(
      (await call(postRoomMember, 'POST', 'x', { user: ann, params: { room: dm }, body: { userId: ben.id } })).status,
    ).toBe(400);
    expect(
      (await call(postRoomMember, 'POST', 'x', { user: cat, params: { room: dm }, body: { userId: cat.id } })).status,
    ).toBe(404);
  });
});

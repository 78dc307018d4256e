/**
 * Adding, removing and banning people, roles, and changing a room (title, topic, archive): every
 * route and refusal, and the events each change sends, against Azurite.
 */
import { randomUUID } from 'node:crypto';

import type { MemberList, Message, Room } from '../contract';
import { postRoomMember } from './add-room-member';
import { postRoom } from './create-room';
import { deleteMessage } from './delete-message';
import { ADMINS_SETTING } from './domain/rooms/moderators';
import { editMessage } from './edit-message';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { messageReactions } from './message-reactions';
import { postMessage } from './messages';
import type { Principal } from './platform/http/identity';
import { deleteRoomMember } from './remove-room-member';
import { deleteRoomBan, getRoomBans } from './room-bans';
import { getRoomMembers } from './room-members';
import { getRooms } from './rooms';
import { putMemberRole } from './set-member-role';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';
import { postTyping } from './typing';
import { patchRoom } from './update-room';
import { postUpload } from './uploads';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = async (name: string): Promise<Principal> => {
  const user = { id: `dev-mod-${name}-${randomUUID().slice(0, 8)}`, name };
  await signIn(user);
  return user;
};
const newRoom = async (owner: Principal, isPrivate = false) => {
  const room = `mod-${randomUUID().slice(0, 8)}`;
  expect(
    (await call(postRoom, 'POST', 'rooms', { user: owner, body: { name: room, private: isPrivate } })).status,
  ).toBe(201);
  return room;
};
const add = (user: Principal, room: string, userId: string) =>
  call<{ id: string; name: string; role?: string; error?: { message: string } }>(
    postRoomMember,
    'POST',
    `rooms/${room}/members`,
    { user, params: { room }, body: { userId } },
  );
const remove = (user: Principal, room: string, userId: string, query: Record<string, string> = {}) =>
  call<{ error?: { message: string } }>(deleteRoomMember, 'DELETE', `rooms/${room}/members/${userId}`, {
    user,
    params: { room, userId },
    query,
  });
const setRole = (user: Principal, room: string, userId: string, role: string) =>
  call<{ role?: string; error?: { message: string } }>(putMemberRole, 'PUT', `rooms/${room}/members/${userId}`, {
    user,
    params: { room, userId },
    body: { role },
  });
const patch = (user: Principal, room: string, body: Record<string, unknown>) =>
  call<Room & { error?: { message: string } }>(patchRoom, 'PATCH', `rooms/${room}`, { user, params: { room }, body });
const join = (user: Principal, room: string) =>
  call<Room & { error?: { message: string } }>(postJoin, 'POST', `rooms/${room}/join`, { user, params: { room } });
const send = (user: Principal, room: string, text = 'hi') =>
  call<Message & { error?: { message: string } }>(postMessage, 'POST', 'messages', {
    user,
    body: { id: randomUUID(), room, text },
  });
const members = async (user: Principal, room: string) =>
  (await call<MemberList>(getRoomMembers, 'GET', 'x', { user, params: { room } })).body.members
    .map((m) => `${m.name}:${m.role ?? '-'}`)
    .sort();
const listed = async (user: Principal, room: string) =>
  // By name: the shared Azurite holds every suite's rooms, more than a first page.
  (await call<{ rooms: Room[] }>(getRooms, 'GET', 'rooms', { user, query: { query: room } })).body.rooms.find(
    (r) => r.name === room,
  );

describe('adding people', () => {
  it('a member adds someone: they are in every connection at once, told with the room, and the room hears it', async () => {
    const [ann, ben, cat] = [await person('ann'), await person('ben'), await person('cat')];
    const room = await newRoom(ann, true);
    expect((await add(ann, room, ben.id)).body).toEqual({ id: ben.id, name: ben.name, role: 'member' });
    // Any member of a private room may add (ben is a plain member).
    const byBen = await add(ben, room, cat.id);
    expect(byBen.status).toBe(200);
    expect(byBen.outputs).toEqual([
      { action: 'add', groupName: room, userId: cat.id },
      {
        target: 'membership',
        arguments: [
          { name: room, room: { name: room, kind: 'room', title: room, joined: true, private: true, role: 'member' } },
        ],
        userId: cat.id,
      },
      { target: 'memberChanged', arguments: [{ room, user: cat, role: 'member' }], groupName: room },
    ]);
    expect(await members(cat, room)).toEqual(['ann:owner', 'ben:member', 'cat:member']);
    // Adding a member again changes nothing and tells nobody.
    const again = await add(ann, room, cat.id);
    expect(again.status).toBe(200);
    expect(again.outputs).toBeUndefined();
  });

  it('refuses strangers to a public room (403), unknown people (404), general (400) and DMs (403)', async () => {
    const [ann, eve] = [await person('ann'), await person('eve')];
    const room = await newRoom(ann);
    const stranger = await add(eve, room, ann.id);
    expect(stranger.status).toBe(403);
    expect(stranger.body.error?.message).toBe(`You are not a member of ${room}`);
    expect((await add(ann, room, 'dev-mod-nobody')).status).toBe(404);
    expect((await add(ann, 'general', eve.id)).status).toBe(400);
    expect((await add(ann, room, 'bad/id')).status).toBe(400);
  });

  it('in a private room the owner may restrict adding to owner and admins (membersMayAdd: false)', async () => {
    const [ann, ben, cat, dan] = [await person('ann'), await person('ben'), await person('cat'), await person('dan')];
    const room = await newRoom(ann, true);
    await add(ann, room, ben.id);
    await add(ann, room, cat.id);
    await setRole(ann, room, cat.id, 'admin');
    // Only the owner decides; an admin may not, and a public room has nothing to restrict.
    const byAdmin = await patch(cat, room, { membersMayAdd: false });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error?.message).toBe(`Only the owner of ${room} decides who may add people`);
    const publicRoom = await newRoom(ann);
    expect((await patch(ann, publicRoom, { membersMayAdd: false })).status).toBe(400);
    expect((await patch(ann, room, { membersMayAdd: 'no' })).status).toBe(400);

    const restricted = await patch(ann, room, { membersMayAdd: false });
    expect(restricted.status).toBe(200);
    expect(restricted.body).toMatchObject({ name: room, membersMayAdd: false });
    expect(restricted.outputs).toEqual([
      { target: 'roomChanged', arguments: [{ name: room, title: room, membersMayAdd: false }], groupName: room },
    ]);
    expect(await listed(ben, room)).toMatchObject({ membersMayAdd: false });
    const byMember = await add(ben, room, dan.id);
    expect(byMember.status).toBe(403);
    expect(byMember.body.error?.message).toBe(`Only the owner and admins of ${room} can add people to it`);
    expect(byMember.outputs).toBeUndefined();
    expect(await members(ann, room)).toEqual(['ann:owner', 'ben:member', 'cat:admin']);
    expect((await add(cat, room, dan.id)).status).toBe(200);

    const reopened = await patch(ann, room, { membersMayAdd: true });
    expect(reopened.body).not.toHaveProperty('membersMayAdd');
    expect((await remove(ann, room, dan.id)).status).toBe(204);
    expect((await add(ben, room, dan.id)).status).toBe(200);
  });
});

describe('removing, leaving and banning', () => {
  it('the owner removes someone: out of the group in the same output, told, and the room hears it', async () => {
    const [ann, ben] = [await person('ann'), await person('ben')];
    const room = await newRoom(ann);
    await join(ben, room);
    const removed = await remove(ann, room, ben.id);
    expect(removed.status).toBe(204);
    expect(removed.outputs).toEqual([
      { action: 'remove', groupName: room, userId: ben.id },
      { target: 'membership', arguments: [{ name: room, removed: 'removed' }], userId: ben.id },
      { target: 'memberChanged', arguments: [{ room, user: ben, gone: 'removed' }], groupName: room },
    ]);
    expect((await call(getHistory, 'GET', 'x', { user: ben, params: { room } })).status).toBe(403);
    // A public room: they may come back themselves.
    expect((await join(ben, room)).status).toBe(200);
  });

  it('members cannot remove others (403); anyone removes themselves (as leave); nobody but a workspace admin removes the owner', async () => {
    const [ann, ben, cat] = [await person('ann'), await person('ben'), await person('cat')];
    const room = await newRoom(ann);
    await join(ben, room);
    await join(cat, room);
    const byMember = await remove(ben, room, cat.id);
    expect(byMember.status).toBe(403);
    expect(byMember.body.error?.message).toBe(`Only the owner and admins of ${room} can remove or ban people`);
    expect((await setRole(ann, room, ben.id, 'admin')).status).toBe(200);
    const ownerByAdmin = await remove(ben, room, ann.id);
    expect(ownerByAdmin.status).toBe(403);
    expect(ownerByAdmin.body.error?.message).toContain('cannot be removed');
    expect((await remove(ben, room, cat.id)).status).toBe(204);
    const self = await remove(ben, room, ben.id);
    expect(self.status).toBe(204);
    expect(self.outputs).toContainEqual({
      target: 'membership',
      arguments: [{ name: room, removed: 'left' }],
      userId: ben.id,
    });
    expect(await members(ann, room)).toEqual(['ann:owner']);
    expect((await remove(ann, room, ann.id, { ban: 'true' })).status).toBe(400);
    expect((await remove(ann, room, ben.id, { ban: 'maybe' })).status).toBe(400);
  });

  it('a ban keeps someone from joining and being added until lifted; the bans list is for owner and admins', async () => {
    const [ann, ben, eve] = [await person('ann'), await person('ben'), await person('eve')];
    const room = await newRoom(ann);
    await join(ben, room);
    await join(eve, room);
    const banned = await remove(ann, room, eve.id, { ban: 'true' });
    expect(banned.status).toBe(204);
    expect(banned.outputs).toContainEqual({
      target: 'membership',
      arguments: [{ name: room, removed: 'banned' }],
      userId: eve.id,
    });
    expect(banned.outputs).toContainEqual({
      target: 'memberChanged',
      arguments: [{ room, user: eve, gone: 'banned' }],
      groupName: room,
    });

    const rejoin = await join(eve, room);
    expect(rejoin.status).toBe(403);
    expect(rejoin.body.error?.message).toBe(`You are banned from ${room}`);
    const readd = await add(ben, room, eve.id);
    expect(readd.status).toBe(403);
    expect(readd.body.error?.message).toContain('banned');
    // Leaving again (as a non-member) does not lift it.
    expect((await call(postLeave, 'POST', 'x', { user: eve, params: { room } })).status).toBe(204);

    const bans = await call<MemberList>(getRoomBans, 'GET', 'x', { user: ann, params: { room } });
    expect(bans.body).toEqual({ members: [{ id: eve.id, name: eve.name }] });
    expect((await call(getRoomBans, 'GET', 'x', { user: ben, params: { room } })).status).toBe(403);
    expect((await call(deleteRoomBan, 'DELETE', 'x', { user: ben, params: { room, userId: eve.id } })).status).toBe(
      403,
    );

    expect((await call(deleteRoomBan, 'DELETE', 'x', { user: ann, params: { room, userId: eve.id } })).status).toBe(
      204,
    );
    expect((await call<MemberList>(getRoomBans, 'GET', 'x', { user: ann, params: { room } })).body.members).toEqual([]);
    expect((await join(eve, room)).status).toBe(200);

    // Someone never in the room can be banned beforehand.
    const newcomer = await person('newcomer');
    expect((await remove(ann, room, newcomer.id, { ban: 'true' })).status).toBe(204);
    expect((await join(newcomer, room)).status).toBe(403);
  });
});

describe('roles', () => {
  it('owner and admins set roles; members may not; the owner keeps theirs; the room hears each change', async () => {
    const [ann, ben, cat] = [await person('ann'), await person('ben'), await person('cat')];
    const room = await newRoom(ann);
    await join(ben, room);
    await join(cat, room);
    const promoted = await setRole(ann, room, ben.id, 'admin');
    expect(promoted.body).toEqual({ id: ben.id, name: ben.name, role: 'admin' });
    expect(promoted.outputs).toEqual([
      { target: 'memberChanged', arguments: [{ room, user: ben, role: 'admin' }], groupName: room },
    ]);
    expect(await listed(ben, room)).toMatchObject({ role: 'admin', moderator: true });
    expect((await setRole(ben, room, cat.id, 'admin')).status).toBe(200);
    expect((await setRole(cat, room, ben.id, 'member')).status).toBe(200); // cat is an admin now
    expect((await setRole(ben, room, cat.id, 'member')).status).toBe(403); // ben is a member again
    const owner = await setRole(cat, room, ann.id, 'member');
    expect(owner.status).toBe(403);
    expect(owner.body.error?.message).toContain('passes only when they leave');
    expect((await setRole(ann, room, 'dev-mod-nobody', 'admin')).status).toBe(404);
    const bad = await setRole(ann, room, ben.id, 'owner');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toBe('role must be "admin" or "member"');
    expect(await members(ann, room)).toEqual(['ann:owner', 'ben:member', 'cat:admin']);
  });

  it('an admin deletes anyone’s message; a member only their own', async () => {
    const [ann, ben, cat] = [await person('ann'), await person('ben'), await person('cat')];
    const room = await newRoom(ann);
    await join(ben, room);
    await join(cat, room);
    const message = (await send(cat, room, 'spam')).body;
    const del = (user: Principal) => call(deleteMessage, 'DELETE', 'x', { user, params: { room, id: message.id } });
    expect((await del(ben)).status).toBe(403);
    await setRole(ann, room, ben.id, 'admin');
    expect((await del(ben)).status).toBe(200);
  });

  it('the owner leaving hands the room to the longest-standing admin, else the longest-standing member', async () => {
    const [ann, ben, cat, dan] = [await person('ann'), await person('ben'), await person('cat'), await person('dan')];
    const room = await newRoom(ann);
    for (const p of [ben, cat, dan]) await join(p, room);
    await setRole(ann, room, dan.id, 'admin');
    await setRole(ann, room, cat.id, 'admin');
    const left = await call(postLeave, 'POST', 'x', { user: ann, params: { room } });
    expect(left.outputs).toContainEqual({
      target: 'memberChanged',
      arguments: [{ room, user: cat, role: 'owner' }],
      groupName: room,
    });
    expect(await members(ben, room)).toEqual(['ben:member', 'cat:owner', 'dan:admin']);
    // No admin left: the longest-standing member.
    await setRole(cat, room, dan.id, 'member');
    await call(postLeave, 'POST', 'x', { user: cat, params: { room } });
    expect(await members(ben, room)).toEqual(['ben:owner', 'dan:member']);
  });
});

describe('changing a room', () => {
  it('owner and admins set title and topic; the room hears roomChanged; members may not', async () => {
    const [ann, ben] = [await person('ann'), await person('ben')];
    const room = await newRoom(ann);
    await join(ben, room);
    const changed = await patch(ann, room, { title: 'Hiking club', topic: 'Saturdays, 9:00' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: room, title: 'Hiking club', topic: 'Saturdays, 9:00', role: 'owner' });
    expect(changed.outputs).toEqual([
      {
        target: 'roomChanged',
        arguments: [{ name: room, title: 'Hiking club', topic: 'Saturdays, 9:00' }],
        groupName: room,
      },
    ]);
    expect(await listed(ben, room)).toMatchObject({ title: 'Hiking club', topic: 'Saturdays, 9:00' });
    expect((await patch(ann, room, { topic: '' })).body).not.toHaveProperty('topic');
    const byMember = await patch(ben, room, { topic: 'mine' });
    expect(byMember.status).toBe(403);
    expect((await patch(ann, room, {})).status).toBe(400);
    expect((await patch(ann, room, { topic: 'a\nb' })).status).toBe(400);
    expect((await patch(ann, 'general', { topic: 'x' })).status).toBe(400);
  });

  it('archived: read-only (409), out of the list for others, still read by members; and back', async () => {
    const [ann, ben, eve] = [await person('ann'), await person('ben'), await person('eve')];
    const room = await newRoom(ann);
    await join(ben, room);
    const message = (await send(ben, room, 'before')).body;
    const archived = await patch(ann, room, { archived: true });
    expect(archived.outputs).toEqual([
      { target: 'roomChanged', arguments: [{ name: room, title: room, archived: true }], groupName: room },
    ]);
    const refused = await send(ben, room, 'after');
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toBe(`${room} is archived: it is read-only`);
    const params = { room, id: message.id };
    expect(
      (await call(editMessage, 'PATCH', 'x', { user: ben, params, body: { text: 'x', revision: 1 } })).status,
    ).toBe(409);
    expect(
      (await call(messageReactions, 'POST', 'x', { user: ben, params, body: { emoji: '👍', add: true } })).status,
    ).toBe(409);
    expect((await call(postTyping, 'POST', 'x', { user: ben, params: { room } })).status).toBe(409);
    const upload = { name: 'a.txt', size: 3, type: 'text/plain' };
    expect((await call(postUpload, 'POST', 'x', { user: ben, params: { room }, body: upload })).status).toBe(409);
    const history = await call<{ messages: Message[] }>(getHistory, 'GET', 'x', { user: ben, params: { room } });
    expect(history.body.messages.map((m) => m.text)).toEqual(['before']);
    expect(await listed(ben, room)).toMatchObject({ archived: true });
    expect(await listed(eve, room)).toBeUndefined();

    await patch(ann, room, { archived: false });
    expect((await send(ben, room, 'after')).status).toBe(201);
    expect(await listed(eve, room)).toMatchObject({ name: room, joined: false });
  });
});

describe('workspace admins (HUBBUB_ADMINS)', () => {
  it('manage any public room without being in it, may remove its owner, and moderate general', async () => {
    const [ann, ben, boss] = [await person('ann'), await person('ben'), await person('boss')];
    const room = await newRoom(ann);
    await join(ben, room);
    const before = process.env[ADMINS_SETTING];
    process.env[ADMINS_SETTING] = `someone-else, ${boss.id}`;
    try {
      expect((await patch(boss, room, { topic: 'set by the workspace' })).status).toBe(200);
      expect((await setRole(boss, room, ben.id, 'admin')).status).toBe(200);
      expect((await remove(boss, room, ann.id)).status).toBe(204);
      expect(await members(ben, room)).toEqual(['ben:owner']);
      const spam = (await send(ann, 'general', 'spam')).body;
      expect(
        (await call(deleteMessage, 'DELETE', 'x', { user: boss, params: { room: 'general', id: spam.id } })).status,
      ).toBe(200);
      expect(await listed(boss, 'general')).toMatchObject({ moderator: true });
    } finally {
      if (before === undefined) delete process.env[ADMINS_SETTING];
      else process.env[ADMINS_SETTING] = before;
    }
  });

  it('see no private room they are not in', async () => {
    const [ann, boss] = [await person('ann'), await person('boss')];
    const room = await newRoom(ann, true);
    process.env[ADMINS_SETTING] = boss.id;
    try {
      expect((await patch(boss, room, { topic: 'x' })).status).toBe(404);
    } finally {
      delete process.env[ADMINS_SETTING];
    }
  });
});

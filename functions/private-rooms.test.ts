/**
 * Private rooms: to anyone not in one it does not exist. Every route naming it answers exactly as
 * for a room that does not exist (status, body, no output), it is not listed or found by name, and
 * nobody hears of its creation; its members use it as any room, and someone removed loses it.
 */
import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import type { Message, Room } from '../contract';
import { postRoomMember } from './add-room-member';
import { announceMessage } from './announce-message';
import { getAttachment } from './attachments';
import { postRoom } from './create-room';
import { deleteMessage } from './delete-message';
import { isMember } from './domain/rooms/memberships-store';
import { editMessage } from './edit-message';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { putRead } from './mark-read';
import { messageReactions } from './message-reactions';
import { postMessage } from './messages';
import { putMute } from './mute-room';
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
import { postUpload, postUploadComplete } from './uploads';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = (name: string): Principal => ({ id: `dev-prv-${name}-${randomUUID().slice(0, 8)}`, name });
type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** Every route that names a room, as a stranger would call it. */
const routes: readonly [string, Handler, string, unknown][] = [
  ['history', getHistory, 'GET', undefined],
  ['edit', editMessage, 'PATCH', { text: 'x', revision: 1 }],
  ['delete', deleteMessage, 'DELETE', undefined],
  ['react', messageReactions, 'POST', { emoji: '👍', add: true }],
  ['announce', announceMessage, 'POST', {}],
  ['join', postJoin, 'POST', {}],
  ['leave', postLeave, 'POST', {}],
  ['members', getRoomMembers, 'GET', undefined],
  ['add member', postRoomMember, 'POST', { userId: 'dev-prv-someone' }],
  ['remove member', deleteRoomMember, 'DELETE', undefined],
  ['leave by members route', deleteRoomMember, 'DELETE', undefined],
  ['set role', putMemberRole, 'PUT', { role: 'admin' }],
  ['bans', getRoomBans, 'GET', undefined],
  ['lift ban', deleteRoomBan, 'DELETE', undefined],
  ['change room', patchRoom, 'PATCH', { topic: 'x' }],
  ['typing', postTyping, 'POST', {}],
  ['read', putRead, 'PUT', {}],
  ['mute', putMute, 'PUT', { muted: true }],
  ['upload', postUpload, 'POST', { name: 'a.txt', size: 3, type: 'text/plain' }],
  ['upload complete', postUploadComplete, 'POST', {}],
  ['attachment', getAttachment, 'GET', undefined],
];

const create = (user: Principal, name: string, isPrivate = true) =>
  call<Room>(postRoom, 'POST', 'rooms', { user, body: { name, private: isPrivate } });
const send = (user: Principal, room: string, text: string) =>
  call<Message>(postMessage, 'POST', 'messages', { user, body: { id: randomUUID(), room, text } });
const roomsOf = async (user: Principal, query: Record<string, string> = {}) =>
  (await call<{ rooms: Room[] }>(getRooms, 'GET', 'rooms', { user, query })).body.rooms.map((r) => r.name);

describe('a private room, to someone not in it', () => {
  it('answers every route exactly as a room that does not exist, and the stranger writes nothing', async () => {
    const [ann, eve] = [person('ann'), person('eve')];
    for (const p of [ann, eve]) await signIn(p);
    const room = `prv-${randomUUID().slice(0, 8)}`;
    const nowhere = `prv-none-${randomUUID().slice(0, 8)}`;
    expect((await create(ann, room)).status).toBe(201);
    const sent = await send(ann, room, 'secret');
    expect(sent.status).toBe(201);

    for (const [what, handler, method, body] of routes) {
      const ask = (name: string) =>
        call(handler, method, `rooms/${name}/x`, {
          user: eve,
          params: { room: name, id: sent.body.id, userId: what === 'leave by members route' ? eve.id : ann.id },
          body,
        });
      const [real, missing] = [await ask(room), await ask(nowhere)];
      expect({ what, status: real.status }).toEqual({ what, status: 404 });
      expect({ what, body: JSON.stringify(real.body).replaceAll(room, '<room>') }).toEqual({
        what,
        body: JSON.stringify(missing.body).replaceAll(nowhere, '<room>'),
      });
      expect({ what, outputs: real.outputs }).toEqual({ what, outputs: missing.outputs });
    }
    const [real, missing] = [await send(eve, room, 'hi'), await send(eve, nowhere, 'hi')];
    expect(real.status).toBe(404);
    expect(JSON.stringify(real.body).replaceAll(room, '<room>')).toBe(
      JSON.stringify(missing.body).replaceAll(nowhere, '<room>'),
    );
    expect(await isMember(room, eve.id)).toBe(false);
  }, 120_000);

  it('is not listed nor found by name, and nobody hears it was created', async () => {
    const [ann, eve] = [person('ann'), person('eve')];
    const room = `prv-${randomUUID().slice(0, 8)}`;
    const created = await create(ann, room);
    expect(created.body).toEqual({
      name: room,
      kind: 'room',
      title: room,
      joined: true,
      moderator: true,
      private: true,
      role: 'owner',
    });
    // Only the creator's group action and their own tabs' `membership`: no roomCreated for everyone.
    expect(created.outputs).toEqual([
      { action: 'add', groupName: room, userId: ann.id },
      { target: 'membership', userId: ann.id, arguments: [{ name: room, room: created.body }] },
    ]);
    expect(await roomsOf(eve)).not.toContain(room);
    expect(await roomsOf(eve, { query: room })).toEqual([]);
    expect(await roomsOf(ann, { query: room })).toEqual([room]);
    // A public room of the same shape is listed, to compare.
    const open = `pub-${randomUUID().slice(0, 8)}`;
    expect((await create(ann, open, false)).outputs).toContainEqual(expect.objectContaining({ target: 'roomCreated' }));
    expect(await roomsOf(eve, { query: open })).toEqual([open]);
  });

  it('refuses a private flag that is not a boolean', async () => {
    const bad = await call(postRoom, 'POST', 'rooms', {
      user: person('ann'),
      body: { name: 'prv-bad', private: 'yes' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('private must be true or false');
  });
});

describe('a private room, to its members', () => {
  it('works as any room for someone added, and someone removed loses it as if it never existed', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    const room = `prv-${randomUUID().slice(0, 8)}`;
    await create(ann, room);
    await send(ann, room, 'before ben');
    const added = await call(postRoomMember, 'POST', `rooms/${room}/members`, {
      user: ann,
      params: { room },
      body: { userId: ben.id },
    });
    expect(added.status).toBe(200);
    expect(await roomsOf(ben)).toContain(room);
    const history = await call<{ messages: Message[] }>(getHistory, 'GET', 'x', { user: ben, params: { room } });
    expect(history.body.messages.map((m) => m.text)).toEqual(['before ben']);
    expect((await send(ben, room, 'hello')).status).toBe(201);

    const removed = await call(deleteRoomMember, 'DELETE', 'x', { user: ann, params: { room, userId: ben.id } });
    expect(removed.status).toBe(204);
    const after = await call(getHistory, 'GET', 'x', { user: ben, params: { room } });
    expect(after.status).toBe(404);
    expect(after.body).toEqual({ error: { code: 'not_found', message: `No room ${room}` } });
    expect(await roomsOf(ben)).not.toContain(room);
    expect((await call(postJoin, 'POST', 'x', { user: ben, params: { room }, body: {} })).status).toBe(404);
    const attachment = await call(getAttachment, 'GET', 'x', { user: ben, params: { room, id: randomUUID() } });
    expect(attachment.status).toBe(404);
    expect(attachment.body).toEqual({ error: { code: 'not_found', message: `No room ${room}` } });
  });

  it('tells a mention only to people still in it: an announce after a removal does not reach them', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    const room = `prv-${randomUUID().slice(0, 8)}`;
    await create(ann, room);
    await call(postRoomMember, 'POST', 'x', { user: ann, params: { room }, body: { userId: ben.id } });
    const sent = await call<Message>(postMessage, 'POST', 'messages', {
      user: ann,
      body: { id: randomUUID(), room, text: `@${ben.name} the plan`, mentions: [ben.id] },
    });
    const mentioned = (outputs: unknown[] | undefined) =>
      ((outputs ?? []) as { target?: string; userId?: string }[])
        .filter((a) => a.target === 'mention')
        .map((a) => a.userId);
    expect(mentioned(sent.outputs)).toEqual([ben.id]);
    await call(deleteRoomMember, 'DELETE', 'x', { user: ann, params: { room, userId: ben.id } });
    const again = await call(announceMessage, 'POST', 'x', { user: ann, params: { room, id: sent.body.id }, body: {} });
    expect(again.status).toBe(202);
    expect(mentioned(again.outputs)).toEqual([]);
  });
});

/**
 * Direct messages keep to their two people: a DM between others answers on every route exactly as
 * a DM that does not exist; a non-member's leave writes nothing; someone who left a DM stays out
 * (no events, no mentions) until they open it again themselves.
 */
import { randomUUID } from 'node:crypto';

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import type { Message } from '../contract';
import { announceMessage } from './announce-message';
import { getAttachment } from './attachments';
import { deleteMessage } from './delete-message';
import { postDm } from './direct-messages';
import { dmRoomName } from './domain/people/dm-names';
import { isMember } from './domain/rooms/memberships-store';
import { createRoom } from './domain/rooms/rooms-store';
import { editMessage } from './edit-message';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { putRead } from './mark-read';
import { messageReactions } from './message-reactions';
import { postMessage } from './messages';
import { putMute } from './mute-room';
import type { Principal } from './platform/http/identity';
import { getRoomMembers } from './room-members';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';
import { countRoundTrips } from './testing/round-trips';
import { postTyping } from './typing';
import { postUpload, postUploadComplete } from './uploads';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = (name: string): Principal => ({ id: `dev-dmp-${name}-${randomUUID().slice(0, 8)}`, name });
type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
type Action = { target?: string; action?: string; userId?: string; groupName?: string };

/** Every room-scoped route, as a stranger would call it. */
const routes: readonly [string, Handler, string, unknown][] = [
  ['history', getHistory, 'GET', undefined],
  ['edit', editMessage, 'PATCH', { text: 'x', revision: 1 }],
  ['delete', deleteMessage, 'DELETE', undefined],
  ['react', messageReactions, 'POST', { emoji: '👍', add: true }],
  ['announce', announceMessage, 'POST', {}],
  ['join', postJoin, 'POST', {}],
  ['leave', postLeave, 'POST', {}],
  ['members', getRoomMembers, 'GET', undefined],
  ['typing', postTyping, 'POST', {}],
  ['read', putRead, 'PUT', {}],
  ['mute', putMute, 'PUT', { muted: true }],
  ['upload', postUpload, 'POST', { name: 'a.txt', size: 3, type: 'text/plain' }],
  ['upload complete', postUploadComplete, 'POST', {}],
  ['attachment', getAttachment, 'GET', undefined],
];

const openDm = (user: Principal, other: Principal) =>
  call<{ name: string }>(postDm, 'POST', 'dms', { user, body: { userId: other.id } });
const send = (user: Principal, room: string, text: string) =>
  call<Message>(postMessage, 'POST', 'messages', { user, body: { id: randomUUID(), room, text } });
const mentionsOf = (outputs: unknown[] | undefined) =>
  ((outputs ?? []) as Action[]).filter((a) => a.target === 'mention').map((a) => a.userId);

describe('a DM between others', () => {
  it('answers every route exactly as a DM that does not exist, and the stranger writes nothing', async () => {
    const [ann, ben, eve] = [person('ann'), person('ben'), person('eve')];
    for (const p of [ann, ben, eve]) await signIn(p);
    const dm = (await openDm(ann, ben)).body.name;
    expect((await send(ann, dm, 'private')).status).toBe(201);
    const nowhere = dmRoomName(eve.id, `dev-dmp-nobody-${randomUUID()}`);

    for (const [what, handler, method, body] of routes) {
      const ask = (room: string) =>
        call(handler, method, `rooms/${room}/x`, { user: eve, params: { room, id: 'some-id' }, body });
      const [real, missing] = [await ask(dm), await ask(nowhere)];
      expect({ what, status: real.status }).toEqual({ what, status: 404 });
      expect({ what, body: JSON.stringify(real.body).replaceAll(dm, '<room>') }).toEqual({
        what,
        body: JSON.stringify(missing.body).replaceAll(nowhere, '<room>'),
      });
      expect({ what, outputs: real.outputs }).toEqual({ what, outputs: undefined });
    }
    const sent = await call(postMessage, 'POST', 'messages', {
      user: eve,
      body: { id: randomUUID(), room: dm, text: 'hi' },
    });
    const sentNowhere = await call(postMessage, 'POST', 'messages', {
      user: eve,
      body: { id: randomUUID(), room: nowhere, text: 'hi' },
    });
    expect(sent.status).toBe(404);
    expect(JSON.stringify(sent.body).replaceAll(dm, '<room>')).toBe(
      JSON.stringify(sentNowhere.body).replaceAll(nowhere, '<room>'),
    );
    expect(await isMember(dm, eve.id)).toBe(false);
  }, 60_000);
});

describe("a non-member's leave", () => {
  it('writes nothing but its rate-limit token, in a public room and a DM of others', async () => {
    const [ann, ben, eve] = [person('ann'), person('ben'), person('eve')];
    for (const p of [ann, ben, eve]) await signIn(p);
    const dm = (await openDm(ann, ben)).body.name;
    const room = `dmp-${randomUUID().slice(0, 8)}`;
    expect(await createRoom(room, ann)).toBe(true);
    for (const [target, status] of [
      [room, 204],
      [dm, 404],
    ] as const) {
      const { result, trips } = await countRoundTrips(() =>
        call(postLeave, 'POST', `rooms/${target}/leave`, { user: eve, params: { room: target }, body: {} }),
      );
      expect(result.status).toBe(status);
      expect(result.outputs).toBeUndefined();
      const writes = trips.filter((t) => t.method !== 'GET' && t.table !== 'ratelimits');
      expect(writes).toEqual([]);
    }
  }, 60_000);
});

describe('a DM left and re-opened', () => {
  it('tells only current members; the other person re-opening it adds only themselves', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    for (const p of [ann, ben]) await signIn(p);
    const opened = await openDm(ann, ben);
    const dm = opened.body.name;
    // The first opening adds both.
    expect(opened.outputs).toEqual([
      { action: 'add', groupName: dm, userId: ann.id },
      { action: 'add', groupName: dm, userId: ben.id },
    ]);
    expect(mentionsOf((await send(ann, dm, 'hello')).outputs)).toEqual([ben.id]);

    const left = await call(postLeave, 'POST', `rooms/${dm}/leave`, { user: ben, params: { room: dm }, body: {} });
    expect(left.status).toBe(204);
    expect(left.outputs).toEqual([
      { action: 'remove', groupName: dm, userId: ben.id },
      { target: 'membership', arguments: [{ name: dm, removed: 'left' }], userId: ben.id },
      { target: 'memberChanged', arguments: [{ room: dm, user: ben, gone: 'left' }], groupName: dm },
    ]);
    expect(mentionsOf((await send(ann, dm, 'still there?')).outputs)).toEqual([]);

    // Ann opening it again puts only herself in it.
    const reopened = await openDm(ann, ben);
    expect(reopened.status).toBe(200);
    expect(reopened.outputs).toEqual([{ action: 'add', groupName: dm, userId: ann.id }]);
    expect(await isMember(dm, ben.id)).toBe(false);
    expect(mentionsOf((await send(ann, dm, 'hello?')).outputs)).toEqual([]);
    // Ben, no longer a member, reads nothing of it (403: it is his DM; he may open it again).
    expect((await call(getHistory, 'GET', 'x', { user: ben, params: { room: dm } })).status).toBe(403);

    // Ben opening it himself is back in, and told again.
    const back = await openDm(ben, ann);
    expect(back.outputs).toEqual([{ action: 'add', groupName: dm, userId: ben.id }]);
    expect(await isMember(dm, ben.id)).toBe(true);
    expect(mentionsOf((await send(ann, dm, 'welcome back')).outputs)).toEqual([ben.id]);
  }, 60_000);
});

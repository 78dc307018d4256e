import { randomUUID } from 'node:crypto';

import type { Message, ReadState, ReadStateList } from '../contract';
import { deleteMessage } from './delete-message';
import { postDm } from './direct-messages';
import { rememberUser } from './domain/people/people-store';
import { addMember, removeMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { editMessage } from './edit-message';
import { putRead } from './mark-read';
import { postMessage } from './messages';
import { putMute } from './mute-room';
import { getReadState } from './read-state';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

// Own people: Jest runs files in parallel against one Azurite, and rate limits are per person.
const ann = { id: 'dev-rs-ann000000000', name: 'Ann' };
const ben = { id: 'dev-rs-ben000000000', name: 'Ben' };
const cat = { id: 'dev-rs-cat000000000', name: 'Cat' };
const out = { id: 'dev-rs-outsider0000', name: 'Out' };
const dan = { id: 'dev-rs-dan000000000', name: 'Dan' };
type Person = typeof ann;

/** A fresh room of Ann (owner), Ben and Cat. */
async function newRoom(): Promise<string> {
  const room = `rs-${randomUUID().slice(0, 8)}`;
  // Straight into the store: room creation and joins are rate-limited, and that is not under test here.
  expect(await createRoom(room, ann)).toBe(true);
  for (const user of [ann, ben, cat]) await addMember(room, user);
  return room;
}

const send = (user: Person, room: string, text: string, extra: Record<string, unknown> = {}) =>
  call<Message>(postMessage, 'POST', 'messages', { user, body: { id: randomUUID(), room, text, ...extra } });
const markRead = (user: Person, room: string, body: unknown) =>
  call<ReadState>(putRead, 'PUT', `rooms/${room}/read`, { user, params: { room }, body });
const mute = (user: Person, room: string, muted: boolean) =>
  call<ReadState>(putMute, 'PUT', `rooms/${room}/mute`, { user, params: { room }, body: { muted } });
const stateOf = async (user: Person, room: string) => {
  const list = await call<ReadStateList>(getReadState, 'GET', 'read-state', { user });
  expect(list.status).toBe(200);
  return list.body.rooms.find((r) => r.room === room);
};
type Action = { target: string; userId?: string; groupName?: string; arguments: unknown[] };
const targets = (signalR: unknown[] | undefined, target: string) =>
  ((signalR ?? []) as Action[]).filter((a) => a.target === target);

describe('read positions', () => {
  it('counts unread from the read position, moves forward only and never beyond the newest change', async () => {
    const room = await newRoom();
    const sent: Message[] = [];
    for (const text of ['one', 'two', 'three']) sent.push((await send(ben, room, text)).body);
    const before = await stateOf(ann, room);
    expect(before).toMatchObject({ readSeq: 0, unread: 3, mentions: 0, muted: false, version: 0 });

    const second = sent[2].seq!;
    const forward = await markRead(ann, room, { seq: second - 1 });
    expect(forward.status).toBe(200);
    expect(forward.body).toMatchObject({ room, readSeq: second - 1, unread: 1 });

    const back = await markRead(ann, room, { seq: 1 });
    expect(back.body).toMatchObject({ readSeq: second - 1, unread: 1 });
    expect(back.outputs).toBeUndefined();

    const beyond = await markRead(ann, room, { seq: 10_000 });
    expect(beyond.body).toMatchObject({ readSeq: second, unread: 0 });
    await send(ben, room, 'four');
    expect(await stateOf(ann, room)).toMatchObject({ readSeq: second, unread: 1 });
    expect((await markRead(ann, room, {})).body).toMatchObject({ readSeq: second + 1, unread: 0 });
  });

  it('marks as unread from a message, moving back to just before it', async () => {
    const room = await newRoom();
    const first = (await send(ben, room, 'a')).body;
    await send(ben, room, 'b');
    await markRead(ann, room, {});
    const unread = await markRead(ann, room, { unreadFrom: first.id });
    expect(unread.status).toBe(200);
    expect(unread.body).toMatchObject({ readSeq: first.seq! - 1, unread: 2 });
    expect((await markRead(ann, room, { unreadFrom: 'no-such-message' })).status).toBe(404);
  });

  it('keeps the highest of concurrent updates from several tabs', async () => {
    const room = await newRoom();
    for (let i = 0; i < 6; i++) await send(cat, room, `m${i}`);
    const results = await Promise.all([6, 2, 5, 3, 4, 1].map((seq) => markRead(ann, room, { seq })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await stateOf(ann, room)).toMatchObject({ readSeq: 6, unread: 0 });
    const versions = results.filter((r) => r.outputs).map((r) => r.body.version);
    expect(new Set(versions).size).toBe(versions.length); // each stored change has its own version
  });

  it("sends readState to the user's own connections only, and nothing when nothing changed", async () => {
    const room = await newRoom();
    await send(ben, room, 'hello');
    const changed = await markRead(cat, room, {});
    expect(changed.outputs).toEqual([{ target: 'readState', userId: cat.id, arguments: [changed.body] }]);
    expect(changed.body).toMatchObject({ room, unread: 0, mentions: 0, muted: false, version: 1 });
    expect((await markRead(cat, room, {})).outputs).toBeUndefined();
  });

  it("never counts your own or deleted messages, nor old messages edited since; a send marks the author's room read", async () => {
    const room = await newRoom();
    const old = (await send(ben, room, 'old')).body;
    await markRead(ann, room, {});
    const own = await send(ann, room, 'mine');
    expect(targets(own.outputs, 'readState')).toEqual([
      { target: 'readState', userId: ann.id, arguments: [expect.objectContaining({ room, readSeq: own.body.seq })] },
    ]);
    const gone = (await send(ben, room, 'soon gone', { mentions: [ann.id] })).body;
    await send(ben, room, 'stays', { mentions: [ann.id] });
    await call(editMessage, 'PATCH', `rooms/${room}/messages/${old.id}`, {
      user: ben,
      params: { room, id: old.id },
      body: { text: 'old, edited', revision: 1 },
    });
    expect(await stateOf(ann, room)).toMatchObject({ unread: 2, mentions: 2 });
    await call(deleteMessage, 'DELETE', `rooms/${room}/messages/${gone.id}`, {
      user: ben,
      params: { room, id: gone.id },
    });
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('lists general and every room and DM of the caller', async () => {
    const room = await newRoom();
    const list = (await call<ReadStateList>(getReadState, 'GET', 'read-state', { user: cat })).body;
    expect(list.rooms[0].room).toBe('general');
    expect(list.rooms.map((r) => r.room)).toContain(room);
  });
});

describe('mentions', () => {
  it('keeps mentions of members once each, drops others, and tells each mentioned member (never the author)', async () => {
    const room = await newRoom();
    const sent = await send(ann, room, '@Ben @Out @Ann', { mentions: [ben.id, out.id, ben.id, ann.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.mentions).toEqual([ben.id, ann.id]);
    const mentions = targets(sent.outputs, 'mention');
    expect(mentions).toEqual([{ target: 'mention', userId: ben.id, arguments: [{ room, message: sent.body }] }]);
    expect(await stateOf(ben, room)).toMatchObject({ unread: 1, mentions: 1 });
    expect(await stateOf(cat, room)).toMatchObject({ unread: 1, mentions: 0 });
  });

  it('@room tells the room as one group event and counts as a mention for each member but the author', async () => {
    const room = await newRoom();
    const sent = await send(ben, room, '@room lunch?', { mentionsRoom: true, mentions: [cat.id] });
    expect(sent.body.mentionsRoom).toBe(true);
    // Cat, named too, is told by the room's event (clients skip their own and muted rooms).
    expect(targets(sent.outputs, 'mention')).toEqual([
      { target: 'mention', groupName: room, arguments: [{ room, message: sent.body }] },
    ]);
    expect(await stateOf(cat, room)).toMatchObject({ unread: 1, mentions: 1 });
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 1 });
    expect(await stateOf(ben, room)).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('in general keeps mentions of people Hubbub knows and drops @room', async () => {
    await rememberUser(cat);
    const sent = await send(ben, 'general', '@everyone @Cat', {
      mentionsRoom: true,
      mentions: [cat.id, 'dev-rs-nobody'],
    });
    expect(sent.status).toBe(201);
    expect(sent.body.mentions).toEqual([cat.id]);
    expect(sent.body.mentionsRoom).toBeUndefined();
    expect(targets(sent.outputs, 'mention').map((a) => a.userId)).toEqual([cat.id]);
  });

  it('in a direct message every message tells the other person and counts as a mention', async () => {
    await rememberUser(ann);
    const dm = (await call<{ name: string }>(postDm, 'POST', 'dms', { user: dan, body: { userId: ann.id } })).body.name;
    const sent = await send(dan, dm, 'psst');
    expect(targets(sent.outputs, 'mention').map((a) => a.userId)).toEqual([ann.id]);
    expect(await stateOf(ann, dm)).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('an edit keeps the mentions and tells nobody again; a deletion removes them', async () => {
    const room = await newRoom();
    const sent = (await send(ann, room, '<@dev-rs-ben000000000> hi', { mentions: [ben.id] })).body;
    const edited = await call<Message>(editMessage, 'PATCH', `rooms/${room}/messages/${sent.id}`, {
      user: ann,
      params: { room, id: sent.id },
      body: { text: '<@dev-rs-ben000000000> hello', revision: 1 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.mentions).toEqual([ben.id]);
    expect(targets(edited.outputs, 'mention')).toEqual([]);
    const gone = await call<Message>(deleteMessage, 'DELETE', `rooms/${room}/messages/${sent.id}`, {
      user: ann,
      params: { room, id: sent.id },
    });
    expect(gone.body.mentions).toBeUndefined();
    expect(await stateOf(ben, room)).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('someone who left the room is no longer mentioned or told, nor by @room', async () => {
    const room = await newRoom();
    expect(await removeMember(room, cat.id)).toBe(false); // a member no more
    const sent = await send(ann, room, '@Cat @room', { mentions: [cat.id], mentionsRoom: true });
    expect(sent.body.mentions).toBeUndefined();
    // @room goes to the room's group, which Cat's connections left with her membership.
    expect(targets(sent.outputs, 'mention')).toEqual([expect.objectContaining({ groupName: room })]);
  });

  it('refuses more than 20 mentions and ids that are not ids with 400', async () => {
    const room = await newRoom();
    const many = Array.from({ length: 21 }, (_, i) => `dev-${i}`);
    expect((await send(ann, room, 'x', { mentions: many })).status).toBe(400);
    expect((await send(ann, room, 'x', { mentions: ['has/slash'] })).status).toBe(400);
    expect((await send(ann, room, 'x', { mentionsRoom: 'yes' })).status).toBe(400);
  });
});

describe('mute', () => {
  it('a muted direct message sends no mention events but still counts every message', async () => {
    const eli = { id: 'dev-rs-eli000000000', name: 'Eli' };
    await rememberUser(eli);
    const dm = (await call<{ name: string }>(postDm, 'POST', 'dms', { user: dan, body: { userId: eli.id } })).body.name;
    expect((await mute(eli, dm, true)).status).toBe(200);
    const sent = await send(dan, dm, 'are you there?');
    expect(targets(sent.outputs, 'mention')).toEqual([]);
    expect(await stateOf(eli, dm)).toMatchObject({ muted: true, unread: 1, mentions: 1 });
  });

  it('stops mention events from a muted room, keeps its counts, and syncs the user', async () => {
    const room = await newRoom();
    const muted = await mute(cat, room, true);
    expect(muted.status).toBe(200);
    expect(muted.body).toMatchObject({ room, muted: true });
    expect(muted.outputs).toEqual([{ target: 'readState', userId: cat.id, arguments: [muted.body] }]);
    expect((await mute(cat, room, true)).outputs).toBeUndefined();

    const sent = await send(ann, room, '@Cat @Ben', { mentions: [cat.id, ben.id] });
    expect(targets(sent.outputs, 'mention').map((a) => a.userId)).toEqual([ben.id]);
    // @room is one event to the room: each client applies its own mute (src/app/notifications).
    const roomWide = await send(ann, room, '@room', { mentionsRoom: true });
    expect(targets(roomWide.outputs, 'mention')).toEqual([expect.objectContaining({ groupName: room })]);
    expect(await stateOf(cat, room)).toMatchObject({ muted: true, unread: 2, mentions: 2 });

    await mute(cat, room, false);
    const after = await send(ann, room, '@Cat', { mentions: [cat.id] });
    expect(targets(after.outputs, 'mention').map((a) => a.userId)).toEqual([cat.id]);
  });
});

describe('refusals', () => {
  it('answers 429 with Retry-After beyond 60 read-state changes in 10 s, without using up sends', async () => {
    const eve = { id: 'dev-rs-eve000000000', name: 'Eve' };
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await mute(eve, 'general', i % 2 === 0)).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const limited = await mute(eve, 'general', true);
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({ 'retry-after': expect.any(String) });
    expect((await send(eve, 'general', 'still allowed to talk')).status).toBe(201);
  });

  it('401 without a principal, 403 for a non-member, 404 for no such room, 400 for a bad body, 415 not JSON', async () => {
    const room = await newRoom();
    expect((await call(getReadState, 'GET', 'read-state')).status).toBe(401);
    expect((await call(putRead, 'PUT', `rooms/${room}/read`, { params: { room }, body: {} })).status).toBe(401);
    expect((await markRead(out, room, {})).status).toBe(403);
    expect((await mute(out, room, true)).status).toBe(403);
    expect((await markRead(ann, 'rs-no-such-room', {})).status).toBe(404);
    for (const body of [{ seq: -1 }, { seq: 'x' }, { seq: 1.5 }, { unreadFrom: 5 }, { seq: 1, unreadFrom: 'a' }]) {
      const refused = await markRead(ann, room, body);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(
      (await call(putMute, 'PUT', `rooms/${room}/mute`, { user: ann, params: { room }, body: { muted: 'yes' } }))
        .status,
    ).toBe(400);
    const form = await call(putRead, 'PUT', `rooms/${room}/read`, {
      user: ann,
      params: { room },
      body: {},
      headers: { 'content-type': 'text/plain' },
    });
    expect(form.status).toBe(415);
  });
});

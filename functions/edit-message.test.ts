import { randomUUID } from 'node:crypto';

import type { Message, MessagePage, ReadState, ReadStateList } from '../contract';
import { postRoom } from './create-room';
import { postDm } from './direct-messages';
import { rememberUser } from './domain/people/people-store';
import { addMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { editMessage } from './edit-message';
import { getHistory } from './history';
import { putRead } from './mark-read';
import { postMessage } from './messages';
import { putMute } from './mute-room';
import { getReadState } from './read-state';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { bob } from './testing/requests';

// Own people: Jest runs files in parallel against one Azurite, and edits count against a person's rate limit.
const alice = { id: 'dev-edit-author0000', name: 'Edith' };

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const post = async (text: string, room = 'general', user = alice) =>
  (await call<Message>(postMessage, 'POST', 'messages', { user, body: { id: randomUUID(), room, text } })).body;
const edit = (message: Message, body: unknown, user = alice) =>
  call<Message>(editMessage, 'PATCH', `rooms/${message.room}/messages/${message.id}`, {
    user,
    params: { room: message.room, id: message.id },
    body,
  });
const history = async (room = 'general', user = alice) =>
  (
    await call<MessagePage>(getHistory, 'GET', `rooms/${room}/messages`, {
      user,
      params: { room },
      query: { limit: '200' },
    })
  ).body;

describe('PATCH /api/rooms/{room}/messages/{id}', () => {
  it('lets the author change the text: the room receives messageChanged and history shows the edit with its time', async () => {
    const message = await post('helo wrld');
    const edited = await edit(message, { text: '  hello world ', revision: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: message.id, text: 'hello world', editedAt: expect.any(String) });
    expect(edited.body.seq).toBeGreaterThan(message.seq!);
    expect(edited.outputs).toEqual([{ target: 'messageChanged', arguments: [edited.body] }]);
    expect((await history()).messages.find((m) => m.id === message.id)).toEqual(edited.body);
  });

  it('keeps the newest edit when an older one arrives late, and a repeat changes nothing (its broadcast is sent again)', async () => {
    const message = await post('first');
    expect((await edit(message, { text: 'newest', revision: 20 })).status).toBe(200);
    const late = await edit(message, { text: 'older', revision: 10 });
    expect(late.status).toBe(200);
    expect(late.body.text).toBe('newest');
    expect(late.outputs).toBeUndefined();
    const repeat = await edit(message, { text: 'newest', revision: 20 });
    // A client's retry: its first attempt's broadcast may have been lost, so it goes again, unchanged.
    expect(repeat.outputs).toEqual([{ target: 'messageChanged', arguments: [repeat.body] }]);
    expect(repeat.body.seq).toBe(late.body.seq);
    expect((await history()).messages.find((m) => m.id === message.id)?.text).toBe('newest');
  });

  it('applies one of two concurrent edits last and history agrees with the last answer', async () => {
    const message = await post('race me');
    const [a, b] = await Promise.all([
      edit(message, { text: 'A', revision: 1 }),
      edit(message, { text: 'B', revision: 2 }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await history()).messages.find((m) => m.id === message.id)?.text).toBe('B');
  });

  it('refuses anyone but the author (403), an unknown message (404), bad text (400)', async () => {
    const message = await post('mine');
    expect((await edit(message, { text: 'hijack', revision: 1 }, bob)).status).toBe(403);
    expect((await edit({ ...message, id: 'no-such-message' }, { text: 'x', revision: 1 })).status).toBe(404);
    expect((await edit(message, { text: '   ', revision: 1 })).body).toMatchObject({
      error: { code: 'validation_failed', message: 'text must be 1-4000 characters' },
    });
    expect((await edit(message, { text: 'x' })).status).toBe(400);
    expect((await history()).messages.find((m) => m.id === message.id)?.text).toBe('mine');
  });

  it('refuses a message of another room even to its author, and people outside the room', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'edit-private' } });
    const secret = await post('in the private room', 'edit-private');
    expect((await edit({ ...secret, room: 'general' }, { text: 'moved', revision: 1 })).status).toBe(404);
    expect((await edit(secret, { text: 'hi', revision: 1 }, bob)).status).toBe(403);
  });

  it('answers 401 without a principal and 415 for a body not sent as JSON', async () => {
    const message = await post('x');
    const params = { room: 'general', id: message.id };
    expect(
      (await call(editMessage, 'PATCH', 'rooms/general/messages/x', { params, body: { text: 'y', revision: 1 } }))
        .status,
    ).toBe(401);
    const form = await call(editMessage, 'PATCH', 'rooms/general/messages/x', {
      user: alice,
      params,
      rawBody: 'text=y',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });
});

describe('an edit says again whom the message mentions', () => {
  // Each test has its own author: sends and edits count against one limit per person.
  let authors = 0;
  const ann = { id: 'dev-em-ann000000000', name: 'Ann' };
  const cat = { id: 'dev-em-cat000000000', name: 'Cat' };
  const out = { id: 'dev-em-outsider0000', name: 'Out' };
  type Person = typeof ann;
  type Action = { target: string; userId?: string; arguments: unknown[] };
  const targets = (outputs: unknown[] | undefined, target: string) =>
    ((outputs ?? []) as Action[]).filter((a) => a.target === target);
  const to = (outputs: unknown[] | undefined, target: string) => targets(outputs, target).map((a) => a.userId);

  /** A fresh room of a fresh author, Ann and Cat. */
  async function newRoom(): Promise<{ room: string; author: Person }> {
    const author = { id: `dev-em-author${String(++authors).padStart(6, '0')}`, name: `Author ${authors}` };
    const room = `em-${randomUUID().slice(0, 8)}`;
    // Straight into the store: room creation and joins are rate-limited, and that is not under test here.
    expect(await createRoom(room, author)).toBe(true);
    for (const user of [author, ann, cat]) await addMember(room, user);
    return { room, author };
  }
  const send = async (user: Person, room: string, text: string, extra: Record<string, unknown> = {}) =>
    (await call<Message>(postMessage, 'POST', 'messages', { user, body: { id: randomUUID(), room, text, ...extra } }))
      .body;
  const stateOf = async (user: Person, room: string) =>
    (await call<ReadStateList>(getReadState, 'GET', 'read-state', { user })).body.rooms.find((r) => r.room === room);

  it('tells the person an edit newly mentions and raises their mention count once; removing it lowers it again', async () => {
    const { room, author } = await newRoom();
    const message = await send(author, room, 'lunch?');
    const versionBefore = (await stateOf(ann, room))!.version;
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 0 });

    const added = await edit(
      message,
      { text: '<@dev-em-ann000000000> lunch?', revision: 1, mentions: [ann.id] },
      author,
    );
    expect(added.status).toBe(200);
    expect(added.body.mentions).toEqual([ann.id]);
    expect(targets(added.outputs, 'mention')).toEqual([
      { target: 'mention', userId: ann.id, arguments: [{ room, message: added.body }] },
    ]);
    // Her tabs learn the new count at once, under a newer version (they apply only newer ones).
    const [raised] = targets(added.outputs, 'readState');
    expect(raised).toMatchObject({ userId: ann.id, arguments: [{ room, unread: 1, mentions: 1 }] });
    expect((raised.arguments[0] as ReadState).version).toBeGreaterThan(versionBefore);
    expect(to(added.outputs, 'readState')).toEqual([ann.id]);
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 1 });
    expect(await stateOf(cat, room)).toMatchObject({ unread: 1, mentions: 0 });

    // Changing the words again while still mentioning her tells nobody and counts nothing twice.
    const reworded = await edit(
      message,
      { text: '<@dev-em-ann000000000> lunch at 1?', revision: 2, mentions: [ann.id] },
      author,
    );
    expect(to(reworded.outputs, 'mention')).toEqual([]);
    expect(to(reworded.outputs, 'readState')).toEqual([]);
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 1 });

    const removed = await edit(message, { text: 'lunch at 1?', revision: 3, mentions: [] }, author);
    expect(removed.body.mentions).toBeUndefined();
    expect(to(removed.outputs, 'mention')).toEqual([]);
    expect(targets(removed.outputs, 'readState')).toMatchObject([
      { userId: ann.id, arguments: [{ room, unread: 1, mentions: 0 }] },
    ]);
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 0 });
    expect((await history(room, author)).messages.find((m) => m.id === message.id)).toEqual(removed.body);
  });

  it('drops ids of people outside the room, and never tells or counts the author', async () => {
    const { room, author } = await newRoom();
    const message = await send(author, room, 'hello');
    const edited = await edit(
      message,
      { text: '<@dev-em-outsider0000> <@me> hello', revision: 1, mentions: [out.id, author.id] },
      author,
    );
    expect(edited.body.mentions).toEqual([author.id]);
    expect(to(edited.outputs, 'mention')).toEqual([]);
    expect(to(edited.outputs, 'readState')).toEqual([]);
  });

  it('sends no mention event to someone who muted the room, but still moves their count', async () => {
    const { room, author } = await newRoom();
    expect(
      (await call(putMute, 'PUT', `rooms/${room}/mute`, { user: cat, params: { room }, body: { muted: true } })).status,
    ).toBe(200);
    const message = await send(author, room, 'hi all');
    const edited = await edit(
      message,
      { text: '<@dev-em-cat000000000> <@dev-em-ann000000000> hi', revision: 1, mentions: [cat.id, ann.id] },
      author,
    );
    expect(to(edited.outputs, 'mention')).toEqual([ann.id]);
    expect(to(edited.outputs, 'readState').sort()).toEqual([ann.id, cat.id].sort());
    expect(await stateOf(cat, room)).toMatchObject({ muted: true, unread: 1, mentions: 1 });
  });

  it('an exact repeat sends its events again (the first may have been lost), an older edit nothing; no count changes', async () => {
    const { room, author } = await newRoom();
    const message = await send(author, room, 'draft');
    const body = { text: '<@dev-em-ann000000000> final', revision: 5, mentions: [ann.id] };
    expect(to((await edit(message, body, author)).outputs, 'mention')).toEqual([ann.id]);
    const repeat = await edit(message, body, author);
    expect(repeat.status).toBe(200);
    expect(targets(repeat.outputs, 'messageChanged')).toHaveLength(1);
    expect(to(repeat.outputs, 'mention')).toEqual([ann.id]);
    expect(to(repeat.outputs, 'readState')).toEqual([]);
    const older = await edit(
      message,
      { text: '<@dev-em-cat000000000> older', revision: 4, mentions: [cat.id] },
      author,
    );
    expect(older.outputs).toBeUndefined();
    expect(older.body).toMatchObject({ text: body.text, mentions: [ann.id] });
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 1 });
    expect(await stateOf(cat, room)).toMatchObject({ unread: 1, mentions: 0 });
  });

  it('tells someone who already read the message, without touching their counts', async () => {
    const { room, author } = await newRoom();
    const message = await send(author, room, 'seen it?');
    await call(putRead, 'PUT', `rooms/${room}/read`, { user: ann, params: { room }, body: {} });
    const read = await stateOf(ann, room);
    const edited = await edit(
      message,
      { text: '<@dev-em-ann000000000> seen it?', revision: 1, mentions: [ann.id] },
      author,
    );
    expect(to(edited.outputs, 'mention')).toEqual([ann.id]);
    expect(to(edited.outputs, 'readState')).toEqual([]);
    expect(await stateOf(ann, room)).toEqual(read);
  });

  it('@room added tells the room once, as one group event; taken away, every count goes back down', async () => {
    const { room, author } = await newRoom();
    const message = await send(author, room, '<@dev-em-ann000000000> meeting', { mentions: [ann.id] });
    const added = await edit(
      message,
      { text: '<@dev-em-ann000000000> @room meeting', revision: 1, mentions: [ann.id], mentionsRoom: true },
      author,
    );
    expect(added.body.mentionsRoom).toBe(true);
    expect(targets(added.outputs, 'mention')).toEqual([
      { target: 'mention', groupName: room, arguments: [{ room, message: added.body }] },
    ]);
    // Nobody's readState for @room: clients adjust from messageChanged (src/app/read-state).
    expect(to(added.outputs, 'readState')).toEqual([]);
    expect(await stateOf(cat, room)).toMatchObject({ unread: 1, mentions: 1 });
    const removed = await edit(message, { text: 'meeting', revision: 2, mentions: [] }, author);
    expect(removed.body.mentionsRoom).toBeUndefined();
    // Ann was also named: her count moved by name too, so she is told her count.
    expect(to(removed.outputs, 'readState')).toEqual([ann.id]);
    expect(await stateOf(ann, room)).toMatchObject({ unread: 1, mentions: 0 });
    expect(await stateOf(cat, room)).toMatchObject({ unread: 1, mentions: 0 });
    // Added again: the room was told once already.
    const again = await edit(message, { text: '@room meeting', revision: 3, mentions: [], mentionsRoom: true }, author);
    expect(targets(again.outputs, 'mention')).toEqual([]);
    expect(await stateOf(cat, room)).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('tells a person of a message once however often an edit names them again', async () => {
    const { room, author } = await newRoom();
    const message = await send(author, room, 'hi');
    const told: (string | undefined)[] = [];
    for (let revision = 1; revision <= 6; revision++) {
      const named = revision % 2 === 1 ? [ann.id] : [];
      const edited = await edit(message, { text: `hi ${revision}`, revision, mentions: named }, author);
      expect(edited.status).toBe(200);
      told.push(...to(edited.outputs, 'mention'));
    }
    expect(told).toEqual([ann.id]);
  });

  it('two racing edits leave her tabs with the count the server ends with', async () => {
    const { room, author } = await newRoom();
    for (let round = 0; round < 4; round++) {
      const message = await send(author, room, `round ${round}`);
      const held = (await stateOf(ann, room))!;
      const [a, b] = await Promise.all([
        edit(message, { text: '<@dev-em-ann000000000> a', revision: 1, mentions: [ann.id] }, author),
        edit(message, { text: 'b', revision: 2, mentions: [] }, author),
      ]);
      const events = [...targets(a.outputs, 'readState'), ...targets(b.outputs, 'readState')].map(
        (action) => action.arguments[0] as ReadState,
      );
      // What a tab holds after applying every event it got, newer versions only.
      const shown = events.reduce((tab, state) => (state.version > tab.version ? state : tab), held);
      const server = (await stateOf(ann, room))!;
      expect(server.mentions).toBe(held.mentions);
      expect(shown).toMatchObject({ unread: server.unread, mentions: server.mentions });
    }
  });

  it('in a direct message the other person is not told again by an edit', async () => {
    const dee = { id: 'dev-em-dee000000000', name: 'Dee' };
    await rememberUser(ann);
    const dm = (await call<{ name: string }>(postDm, 'POST', 'dms', { user: dee, body: { userId: ann.id } })).body.name;
    const message = await send(dee, dm, 'psst');
    const edited = await edit(message, { text: '<@dev-em-ann000000000> psst', revision: 1, mentions: [ann.id] }, dee);
    expect(edited.body.mentions).toEqual([ann.id]);
    expect(to(edited.outputs, 'mention')).toEqual([]);
    expect(await stateOf(ann, dm)).toMatchObject({ unread: 1, mentions: 1 });
  });
});

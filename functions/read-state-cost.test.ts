/**
 * What read-state counts cost in a big room: a room of 160 members and 300 long messages, where
 * `GET /api/read-state` and "mark as unread" count from the room's unread index (small rows), never
 * from the messages' own rows. Counted at the table layer (every request, entity and byte read).
 */
import { randomUUID } from 'node:crypto';

import { type Message, type ReadState, type ReadStateList, UNREAD_COUNT_CAP } from '../contract';
import { deleteMessage } from './delete-message';
import { MAX_PAGES } from './domain/messages/unread-index';
import { addMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { editMessage } from './edit-message';
import { putRead } from './mark-read';
import { postMessage } from './messages';
import type { Principal } from './platform/http/identity';
import { getReadState } from './read-state';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { countRoundTrips, readOf } from './testing/round-trips';
import { importMessages } from './testing/seed';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = (name: string): Principal => ({ id: `dev-rsc-${name}-${randomUUID().slice(0, 8)}`, name });
const LONG = 'x'.repeat(3_900);

/** `count` messages from `senders` in turn, every `mentionEvery`th naming `mentioned`, every `roomEvery`th `@room`. */
function messages(
  room: string,
  senders: readonly Principal[],
  count: number,
  mentioned: Principal,
): Omit<Message, 'seq'>[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    room,
    text: `${i} ${LONG}`,
    sender: senders[i % senders.length],
    sentAt: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    ...(i % 7 === 0 && { mentions: [mentioned.id] }),
    ...(i % 30 === 1 && { mentionsRoom: true }),
  }));
}

const readState = (user: Principal) => call<ReadStateList>(getReadState, 'GET', 'read-state', { user });
const markRead = (user: Principal, room: string, body: unknown) =>
  call<ReadState>(putRead, 'PUT', `rooms/${room}/read`, { user, params: { room }, body });

describe('read-state counts in a room of 160 members and 300 long messages', () => {
  const room = `rsc-${randomUUID().slice(0, 8)}`;
  const owner = person('owner');
  const reader = person('reader');
  const members = Array.from({ length: 158 }, (_, i) => person(`m${i}`));
  let seeded: Omit<Message, 'seq'>[];

  beforeAll(async () => {
    expect(await createRoom(room, owner)).toBe(true);
    const everyone = [owner, reader, ...members];
    for (let i = 0; i < everyone.length; i += 20)
      await Promise.all(everyone.slice(i, i + 20).map((p) => addMember(room, p)));
    seeded = messages(room, members, 300, reader);
    await importMessages(room, seeded);
  }, 120_000);

  // 43 messages name the reader (every 7th of 300), 10 say @room (the 1st, 31st, …), one (the 91st) both.
  const NAMED = 43;
  const ROOM_WIDE = 10;
  const MENTIONS = NAMED + ROOM_WIDE - 1;
  /** Per room counted: the unread scan's first page (the cap + 1), the two mention scans' rows, the counter. */
  const PER_ROOM_ENTITIES = UNREAD_COUNT_CAP + 1 + NAMED + ROOM_WIDE + 1;

  it('GET /api/read-state reads index rows only: the cap, not the room, bounds what it reads', async () => {
    const { result, trips } = await countRoundTrips(() => readState(reader));
    expect(result.status).toBe(200);
    expect(result.body.rooms.find((r) => r.room === room)).toMatchObject({
      readSeq: 0,
      unread: UNREAD_COUNT_CAP,
      mentions: MENTIONS,
    });
    // `general` (shared with other suites) is counted too: at most the same bound again.
    const read = readOf(trips, 'messages');
    expect(read.entities).toBeLessThanOrEqual(PER_ROOM_ENTITIES + MAX_PAGES * (UNREAD_COUNT_CAP + 1) * 3 + 1);
    // The messages' rows alone would be 300 × 3.9 KB; index rows are a few dozen bytes each.
    expect(read.bytes).toBeLessThan(150_000);
    expect(trips.every((t) => (t.entities ?? 0) <= UNREAD_COUNT_CAP + 1)).toBe(true);
  }, 60_000);

  it('"mark as unread" from the oldest message reads a bounded number of small rows too', async () => {
    const { result, trips } = await countRoundTrips(() => markRead(reader, room, { unreadFrom: seeded[0].id }));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ readSeq: 0, unread: UNREAD_COUNT_CAP, mentions: MENTIONS });
    const read = readOf(trips, 'messages');
    expect(read.entities).toBeLessThanOrEqual(PER_ROOM_ENTITIES + 1); // + the message's id marker
    // It did read the index (the observer sees every row): 154 rows, about 21 KB when measured.
    expect(read.entities).toBeGreaterThanOrEqual(UNREAD_COUNT_CAP + NAMED + ROOM_WIDE);
    expect(read.bytes).toBeLessThan(40_000);
  }, 60_000);

  it('counts exactly below the cap, and a caught-up person reads next to nothing', async () => {
    // Read up to the 250th change: 50 unread (i = 250 … 299), 7 naming the reader (252, 259, … 294), 1 saying @room (271).
    const position = 250;
    const marked = await markRead(reader, room, { seq: position });
    expect(marked.body).toMatchObject({ readSeq: position, unread: 50, mentions: 8 });

    await markRead(reader, room, {});
    const { result, trips } = await countRoundTrips(() => markRead(reader, room, {}));
    expect(result.body).toMatchObject({ readSeq: 300, unread: 0, mentions: 0 });
    expect(readOf(trips, 'messages').entities).toBeLessThanOrEqual(2); // the counter (for the newest) and no index row
  }, 60_000);
});

describe('the unread index follows every change', () => {
  it('sends, edits that change mentions or @room, and deletions move the counts', async () => {
    const room = `rsc-${randomUUID().slice(0, 8)}`;
    const [ann, ben] = [person('ann'), person('ben')];
    await createRoom(room, ann);
    for (const p of [ann, ben]) await addMember(room, p);
    const send = (text: string, extra: Record<string, unknown> = {}) =>
      call<Message>(postMessage, 'POST', 'messages', { user: ann, body: { id: randomUUID(), room, text, ...extra } });
    const edit = (message: Message, revision: number, extra: Record<string, unknown>) =>
      call<Message>(editMessage, 'PATCH', `rooms/${room}/messages/${message.id}`, {
        user: ann,
        params: { room, id: message.id },
        body: { text: `${message.text} (${revision})`, revision, ...extra },
      });
    const countsOfBen = async () => (await markRead(ben, room, { seq: 0 })).body;

    const plain = (await send('plain')).body;
    const named = (await send('hi Ben', { mentions: [ben.id] })).body;
    expect(await countsOfBen()).toMatchObject({ unread: 2, mentions: 1 });

    expect((await edit(named, 1, { mentions: [] })).status).toBe(200);
    expect(await countsOfBen()).toMatchObject({ unread: 2, mentions: 0 });
    expect((await edit(plain, 1, { mentions: [], mentionsRoom: true })).status).toBe(200);
    expect(await countsOfBen()).toMatchObject({ unread: 2, mentions: 1 });
    expect((await edit(plain, 2, { mentions: [ben.id], mentionsRoom: true })).status).toBe(200);
    expect(await countsOfBen()).toMatchObject({ unread: 2, mentions: 1 }); // named and @room: one message

    const gone = await call(deleteMessage, 'DELETE', `rooms/${room}/messages/${plain.id}`, {
      user: ann,
      params: { room, id: plain.id },
    });
    expect(gone.status).toBe(200);
    expect(await countsOfBen()).toMatchObject({ unread: 1, mentions: 0 });
    // Ann's own messages are never unread for her.
    expect((await markRead(ann, room, { seq: 0 })).body).toMatchObject({ unread: 0, mentions: 0 });
  }, 60_000);

  it('a room whose log began before the index counts its older messages from the log, and newer ones from the index', async () => {
    const room = `rsc-${randomUUID().slice(0, 8)}`;
    const [ann, ben] = [person('ann'), person('ben')];
    await createRoom(room, ann);
    for (const p of [ann, ben]) await addMember(room, p);
    const old = messages(room, [ann], 30, ben); // 5 name Ben (0, 7, … 28), 1 says @room (1)
    await importMessages(room, old, { indexed: false });
    expect((await markRead(ben, room, { seq: 0 })).body).toMatchObject({ unread: 30, mentions: 6 });

    const sent = await call<Message>(postMessage, 'POST', 'messages', {
      user: ann,
      body: { id: randomUUID(), room, text: 'new, for Ben', mentions: [ben.id] },
    });
    expect(sent.status).toBe(201);
    expect((await markRead(ben, room, { seq: 0 })).body).toMatchObject({ unread: 31, mentions: 7 });

    // Deleting and editing an older message work as before (it has no index rows to change).
    const deleted = await call(deleteMessage, 'DELETE', `rooms/${room}/messages/${old[0].id}`, {
      user: ann,
      params: { room, id: old[0].id },
    });
    expect(deleted.status).toBe(200);
    const edited = await call(editMessage, 'PATCH', `rooms/${room}/messages/${old[2].id}`, {
      user: ann,
      params: { room, id: old[2].id },
      body: { text: 'now naming Ben', revision: 1, mentions: [ben.id] },
    });
    expect(edited.status).toBe(200);
    expect((await markRead(ben, room, { seq: 0 })).body).toMatchObject({ unread: 30, mentions: 7 });
    // A position inside the indexed part reads only the index.
    expect((await markRead(ben, room, { seq: sent.body.seq! - 1 })).body).toMatchObject({ unread: 1, mentions: 1 });
  }, 60_000);
});

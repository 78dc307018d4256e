import { randomUUID } from 'node:crypto';

import { TableClient } from '@azure/data-tables';

import type { Message as ChatMessage } from '../contract';
import { postRoom } from './create-room';
import { deleteMessage } from './delete-message';
import { editMessage } from './edit-message';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { messageReactions } from './message-reactions';
import { postMessage } from './messages';
import { withErrors } from './platform/http/with-errors';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { alice, bob, invocation, request } from './testing/requests';
import { importMessages } from './testing/seed';

let azurite: TestAzurite;
const room = 'history-room';
const stored: ChatMessage[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  await withErrors(postRoom)(request('POST', 'rooms', { user: alice, body: { name: room } }), invocation('createRoom'));
  // 120 messages a millisecond apart, imported straight into the store (the rate limit is not under test here).
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  for (let i = 0; i < 120; i++) {
    stored.push({
      id: randomUUID(),
      room,
      text: `message ${i}`,
      sender: alice,
      sentAt: new Date(start + i).toISOString(),
    });
  }
  await importMessages(room, stored);
}, 60_000);
afterAll(() => azurite.stop());

type Page = { messages: ChatMessage[]; hasMore: boolean; cursor: number };
const page = async (query: Record<string, string> = {}, user = alice, name = room) => {
  const response = await withErrors(getHistory)(
    request('GET', `rooms/${name}/messages`, { user, params: { room: name }, query }),
    invocation('history'),
  );
  return { status: response.status, body: response.jsonBody as Page };
};
const texts = (p: Page) => p.messages.map((m) => m.text);

describe('GET /api/rooms/{room}/messages', () => {
  it('returns the newest page, oldest first within it', async () => {
    const { status, body } = await page({ limit: '50' });
    expect(status).toBe(200);
    expect(texts(body)).toEqual(stored.slice(70).map((m) => m.text));
    expect(body.hasMore).toBe(true);
  });

  it('pages back through everything with before, with no gap and no repeat', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const { body } = await page({ limit: '50', ...(cursor ? { before: cursor } : {}) });
      seen.unshift(...texts(body));
      if (!body.hasMore) break;
      cursor = body.messages[0].id;
    }
    expect(seen).toEqual(stored.map((m) => m.text));
  });

  it('catches up with after: everything newer than a message, oldest first', async () => {
    const { body } = await page({ after: stored[100].id, limit: '200' });
    expect(texts(body)).toEqual(stored.slice(101).map((m) => m.text));
    expect(body.hasMore).toBe(false);
    const partial = await page({ after: stored[100].id, limit: '5' });
    expect(texts(partial.body)).toEqual(stored.slice(101, 106).map((m) => m.text));
    expect(partial.body.hasMore).toBe(true);
    const none = await page({ after: stored[119].id });
    expect(none.body).toEqual({ messages: [], hasMore: false, cursor: expect.any(Number) });
  });

  it('opens the page around a message: it, the messages just before and after, and catch-up brings the rest', async () => {
    const { status, body } = await page({ around: stored[60].id, limit: '11' });
    expect(status).toBe(200);
    expect(texts(body)).toEqual(stored.slice(55, 66).map((m) => m.text));
    expect(body.hasMore).toBe(true);
    expect(body.cursor).toBe(body.messages.at(-1)?.seq);
    // Nothing is hidden: older pages go back from the page's first message, catch-up forward from its cursor.
    const older = await page({ before: body.messages[0].id, limit: '200' });
    const newer = await page({ since: String(body.cursor), limit: '200' });
    expect([...texts(older.body), ...texts(body), ...texts(newer.body)]).toEqual(stored.map((m) => m.text));
    // At either end of the room the page is shorter and says so.
    const first = await page({ around: stored[1].id, limit: '11' });
    expect(texts(first.body)).toEqual(stored.slice(0, 7).map((m) => m.text));
    expect(first.body.hasMore).toBe(false);
    const last = await page({ around: stored[119].id });
    expect(texts(last.body)).toEqual(stored.slice(94).map((m) => m.text));
    expect(last.body.cursor).toBe(last.body.messages.at(-1)?.seq);
  });

  it('refuses a bad or unknown around id and keeps the room to its members', async () => {
    expect((await page({ around: "x' or 1 eq 1" })).status).toBe(400);
    expect((await page({ around: stored[5].id, before: stored[9].id })).status).toBe(400);
    const unknown = await page({ around: randomUUID() });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: expect.objectContaining({ message: expect.stringContaining('No message') }),
    });
    expect((await page({ around: stored[5].id }, bob)).status).toBe(403);
    expect((await page({ around: stored[5].id }, alice, 'nowhere')).status).toBe(404);
  });

  it('catches up a client thousands of messages behind with no gap, page by page', async () => {
    const far = 'far-behind';
    await withErrors(postRoom)(
      request('POST', 'rooms', { user: alice, body: { name: far } }),
      invocation('createRoom'),
    );
    const start = Date.parse('2026-02-01T00:00:00.000Z');
    const many = Array.from({ length: 5_100 }, (_, i) => ({
      id: `far-${i}`,
      room: far,
      text: `far ${i}`,
      sender: alice,
      sentAt: new Date(start + i * 1_000).toISOString(),
    }));
    await importMessages(far, many);
    const seen: string[] = [];
    let cursor = many[0].id;
    for (;;) {
      const { body } = await page({ after: cursor, limit: '200' }, alice, far);
      seen.push(...texts(body));
      if (!body.hasMore) break;
      cursor = body.messages.at(-1)!.id;
    }
    expect(seen).toEqual(many.slice(1).map((m) => m.text));
  }, 60_000);

  it('sees a message sent through POST /api/messages in catch-up', async () => {
    const id = randomUUID();
    await withErrors(postMessage)(
      request('POST', 'messages', { user: alice, body: { id, room, text: 'live one' } }),
      invocation('m'),
    );
    const { body } = await page({ after: stored[119].id });
    expect(body.messages.map((m) => m.id)).toEqual([id]);
  });

  it('refuses people outside the room with 403, unknown rooms with 404, bad cursors and limits with 400', async () => {
    expect((await page({}, bob)).status).toBe(403);
    expect((await page({}, alice, 'nowhere')).status).toBe(404);
    expect((await page({ before: randomUUID() })).status).toBe(404);
    expect((await page({ limit: '0' })).status).toBe(400);
    expect((await page({ limit: '201' })).status).toBe(400);
    expect((await page({ before: 'a', after: 'b' })).status).toBe(400);
    expect((await page({ before: "x' or 1 eq 1" })).status).toBe(400);
  });

  it('answers 401 without a principal', async () => {
    const response = await withErrors(getHistory)(
      request('GET', 'rooms/general/messages', { params: { room: 'general' } }),
      invocation('h'),
    );
    expect(response.status).toBe(401);
  });
});

describe('catch-up follows the order changes were stored, not the time they were stamped', () => {
  it('returns a message stamped before one the client has but stored after it (a slow write), exactly once', async () => {
    const slowRoom = 'slow-write-room';
    await withErrors(postRoom)(
      request('POST', 'rooms', { user: alice, body: { name: slowRoom } }),
      invocation('createRoom'),
    );
    await withErrors(postJoin)(request('POST', 'x', { user: bob, params: { room: slowRoom } }), invocation('joinRoom'));
    const x = { id: randomUUID(), room: slowRoom, text: 'X, stamped first, stored last' };
    const y = { id: randomUUID(), room: slowRoom, text: 'Y' };
    // X is sent through another Functions instance (its own copy of the modules, as another
    // instance has: writers of one room in one instance take turns, so only another instance's
    // slow write can land after a later one).
    let other!: { postMessage: typeof postMessage; TableClient: typeof TableClient };
    jest.isolateModules(() => {
      other = {
        postMessage: jest.requireActual<typeof import('./messages')>('./messages').postMessage,
        TableClient: jest.requireActual<typeof import('@azure/data-tables')>('@azure/data-tables').TableClient,
      };
    });
    // That instance's first request creates its table clients: made before the timing below.
    const warmUp = { id: randomUUID(), room: 'general', text: 'warm-up of the other instance' };
    await withErrors(other.postMessage)(request('POST', 'messages', { user: bob, body: warmUp }), invocation('m'));
    // Hold X's storage write until Y is stored and a client has seen Y.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = other.TableClient.prototype.submitTransaction;
    const spy = jest.spyOn(other.TableClient.prototype, 'submitTransaction').mockImplementation(async function (
      this: TableClient,
      actions,
    ) {
      if (JSON.stringify(actions).includes(`id_${x.id}`)) await gate;
      return original.call(this, actions);
    });
    try {
      const sendX = withErrors(other.postMessage)(
        request('POST', 'messages', { user: alice, body: x }),
        invocation('m'),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      const sentY = await withErrors(postMessage)(request('POST', 'messages', { user: bob, body: y }), invocation('m'));
      const yStored = sentY.jsonBody as ChatMessage;
      expect(sentY.status).toBe(201);
      // The client has Y (from its broadcast) and goes offline; then X's slow write lands.
      release();
      const xStored = (await sendX).jsonBody as ChatMessage;
      expect(Date.parse(xStored.sentAt)).toBeLessThan(Date.parse(yStored.sentAt));
      // It reconnects and catches up from the newest change it had.
      const { body } = await page({ since: String(yStored.seq) }, alice, slowRoom);
      expect(body.messages.map((m) => m.text)).toEqual([x.text]);
      const again = await page({ since: String(body.cursor) }, alice, slowRoom);
      expect(again.body.messages).toEqual([]);
      const byId = await page({ after: y.id }, alice, slowRoom);
      expect(byId.body.messages.map((m) => m.text)).toEqual([x.text]);
    } finally {
      release();
      spy.mockRestore();
    }
  }, 30_000);

  it('returns edits, deletions and reactions made after the cursor, each message once in its latest state', async () => {
    const busy = 'busy-room';
    await withErrors(postRoom)(
      request('POST', 'rooms', { user: alice, body: { name: busy } }),
      invocation('createRoom'),
    );
    const send = async (text: string) =>
      (
        await withErrors(postMessage)(
          request('POST', 'messages', { user: alice, body: { id: randomUUID(), room: busy, text } }),
          invocation('m'),
        )
      ).jsonBody as ChatMessage;
    const kept = await send('kept');
    const edited = await send('edited later');
    const doomed = await send('deleted later');
    const { body: before } = await page({}, alice, busy);
    const params = (m: ChatMessage) => ({ room: busy, id: m.id });
    await withErrors(editMessage)(
      request('PATCH', 'x', { user: alice, params: params(edited), body: { text: 'edited once', revision: 1 } }),
      invocation('e'),
    );
    await withErrors(editMessage)(
      request('PATCH', 'x', { user: alice, params: params(edited), body: { text: 'edited twice', revision: 2 } }),
      invocation('e'),
    );
    await withErrors(deleteMessage)(request('DELETE', 'x', { user: alice, params: params(doomed) }), invocation('d'));
    await withErrors(messageReactions)(
      request('POST', 'x', { user: bob, params: params(kept), body: { emoji: '👍', add: true } }),
      invocation('r'),
    );
    // Bob is not in busy-room: his reaction is refused, so only Alice's counts.
    await withErrors(messageReactions)(
      request('POST', 'x', { user: alice, params: params(kept), body: { emoji: '👍', add: true } }),
      invocation('r'),
    );
    const { body } = await page({ since: String(before.cursor) }, alice, busy);
    expect(body.messages.map((m) => [m.id, m.text, m.deleted ?? false])).toEqual([
      [edited.id, 'edited twice', false],
      [doomed.id, '', true],
      [kept.id, 'kept', false],
    ]);
    expect(body.messages[2]?.reactions).toEqual([{ emoji: '👍', count: 1, people: [alice], mine: true }]);
    expect(body.cursor).toBe(body.messages[2]?.seq);
  }, 30_000);

  it('refuses a since that is not a change number', async () => {
    expect((await page({ since: '-1' })).status).toBe(400);
    expect((await page({ since: '1e3' })).status).toBe(400);
    expect((await page({ since: '3', after: stored[0].id })).status).toBe(400);
  });
});

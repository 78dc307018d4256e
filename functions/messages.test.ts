import { randomUUID } from 'node:crypto';

import { postRoom } from './create-room';
import { deleteMessage } from './delete-message';
import { createRoom } from './domain/rooms/rooms-store';
import { getHistory } from './history';
import { postMessage } from './messages';
import { RATE_LIMIT } from './platform/http/rate-limit';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { alice, bob, invocation, request } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const send = (body: unknown, user = alice) => {
  const context = invocation('messages');
  return withErrors(postMessage)(request('POST', 'messages', { user, body }), context).then((response) => ({
    response,
    context,
  }));
};
const fresh = (text = 'hello there', room = 'general') => ({ id: randomUUID(), room, text });

describe('POST /api/messages', () => {
  it('stores the message, stamps sender and time from the server, then broadcasts newMessage', async () => {
    const body = fresh('  hello there  ');
    const before = Date.now();
    const { response, context } = await send({ ...body, sender: { id: 'mallory', name: 'Admin' } });
    expect(response.status).toBe(201);
    const message = response.jsonBody as { sender: unknown; sentAt: string; text: string };
    expect(message).toMatchObject({ id: body.id, room: 'general', text: 'hello there', sender: alice });
    expect(Date.parse(message.sentAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(context.extraOutputs.get(signalROut)).toEqual([
      { target: 'newMessage', arguments: [message] },
      // The author's own tabs learn that the room is read up to their message (read-state.test.ts).
      expect.objectContaining({ target: 'readState', userId: alice.id }),
    ]);

    const history = await withErrors(getHistory)(
      request('GET', 'rooms/general/messages', { user: bob, params: { room: 'general' } }),
      invocation('history'),
    );
    expect((history.jsonBody as { messages: unknown[] }).messages).toContainEqual(message);
  });

  it('stores and broadcasts a repeated id once, answering the stored message', async () => {
    const body = fresh('only once');
    const first = await send(body);
    const second = await send({ ...body, text: 'changed on retry' });
    expect(first.response.status).toBe(201);
    expect(second.response.status).toBe(200);
    expect(second.response.jsonBody).toEqual(first.response.jsonBody);
    expect(second.context.extraOutputs.get(signalROut)).toBeUndefined();
  });

  it('stores concurrent sends of the same id once', async () => {
    const body = fresh('raced');
    const results = await Promise.all([send(body, bob), send(body, bob), send(body, bob)]);
    expect(results.map((r) => r.response.status).sort()).toEqual([200, 200, 201]);
    const broadcasts = results.filter((r) => r.context.extraOutputs.get(signalROut) !== undefined);
    expect(broadcasts).toHaveLength(1);
  });

  it('answers 401 without a principal and stores nothing', async () => {
    const body = fresh('anonymous');
    const response = await withErrors(postMessage)(request('POST', 'messages', { body }), invocation('messages'));
    expect(response.status).toBe(401);
    const history = await withErrors(getHistory)(
      request('GET', 'rooms/general/messages', { user: bob, params: { room: 'general' } }),
      invocation('history'),
    );
    expect((history.jsonBody as { messages: { id: string }[] }).messages.map((m) => m.id)).not.toContain(body.id);
  });

  it.each([
    ['blank text', { text: '   ' }, 'text must be 1-4000 characters'],
    ['4001 characters', { text: 'x'.repeat(4001) }, 'text must be 1-4000 characters'],
    ['a control character', { text: 'bell\u0007' }, 'text must not contain control characters'],
    ['a number as text', { text: 42 }, 'text must be a string'],
    ['a bad room name', { room: 'General!' }, 'room must be 1-64 characters of a-z, 0-9 and "-"'],
    ['an empty id', { id: '' }, 'id must be 1-64 letters, digits, "-" or "_" (a UUID works)'],
  ])('refuses %s with 400 and the JSON error shape', async (_label, change, message) => {
    const { response, context } = await send({ ...fresh(), ...change });
    expect(response.status).toBe(400);
    expect(response.jsonBody).toEqual({ error: { code: 'validation_failed', message } });
    expect(context.extraOutputs.get(signalROut)).toBeUndefined();
  });

  it('accepts 4000 characters and keeps line breaks', async () => {
    const text = 'a\n'.repeat(2000).trim();
    const { response } = await send(fresh(text));
    expect(response.status).toBe(201);
    expect((response.jsonBody as { text: string }).text).toBe(text);
  });

  it('refuses a body that is not sent as JSON (a cross-site form cannot send JSON) with 415', async () => {
    const body = fresh('forged by a form');
    const response = await withErrors(postMessage)(
      request('POST', 'messages', { user: alice, body, headers: { 'content-type': 'text/plain' } }),
      invocation('messages'),
    );
    expect(response.status).toBe(415);
    expect(response.jsonBody).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const history = await withErrors(getHistory)(
      request('GET', 'rooms/general/messages', { user: alice, params: { room: 'general' } }),
      invocation('history'),
    );
    expect((history.jsonBody as { messages: { id: string }[] }).messages.map((m) => m.id)).not.toContain(body.id);
  });

  it('answers 400 malformed_json for a broken body and 413 for one over 16 KB', async () => {
    const broken = await withErrors(postMessage)(
      request('POST', 'messages', { user: alice, rawBody: '{"id": "x", ' }),
      invocation('m'),
    );
    expect(broken.status).toBe(400);
    expect(broken.jsonBody).toEqual({ error: { code: 'malformed_json', message: 'The body is not valid JSON' } });
    const big = await send({ ...fresh(), text: 'x'.repeat(17 * 1024) });
    expect(big.response.status).toBe(413);
    expect(big.response.jsonBody).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 404 for a room that does not exist and 403 for a room one is not in', async () => {
    expect((await send(fresh('x', 'no-such-room'))).response.status).toBe(404);
    const created = await withErrors(postRoom)(
      request('POST', 'rooms', { user: bob, body: { name: 'bobs-room' } }),
      invocation('createRoom'),
    );
    expect(created.status).toBe(201);
    const { response, context } = await send(fresh('let me in', 'bobs-room'), alice);
    expect(response.status).toBe(403);
    expect(response.jsonBody).toMatchObject({ error: { code: 'forbidden' } });
    expect(context.extraOutputs.get(signalROut)).toBeUndefined();
  });

  it('answers a non-member 403/404 even over the send limit, and a refused send spends none of it', async () => {
    const stranger = { id: 'dev-stranger0000000', name: 'Stan' };
    const closed = `closed-${randomUUID().slice(0, 8)}`;
    // Straight into the store: room creation is rate-limited, and that is not under test here.
    expect(await createRoom(closed, bob)).toBe(true);
    for (let i = 0; i < RATE_LIMIT.max + 5; i++) {
      const { response, context } = await send(fresh('let me in', closed), stranger);
      expect(response.status).toBe(403);
      expect(context.extraOutputs.get(signalROut)).toBeUndefined();
    }
    // None of those took a token: the whole budget is still there.
    for (let i = 0; i < RATE_LIMIT.max; i++)
      expect((await send(fresh(`mine ${i}`), stranger)).response.status).toBe(201);
    expect((await send(fresh('one too many'), stranger)).response.status).toBe(429);
    // Over the limit, membership still answers first.
    expect((await send(fresh('let me in', closed), stranger)).response.status).toBe(403);
    expect((await send(fresh('anyone?', 'no-such-room'), stranger)).response.status).toBe(404);
  });

  it('sends a room message only to the room group', async () => {
    await withErrors(postRoom)(
      request('POST', 'rooms', { user: alice, body: { name: 'alices-room' } }),
      invocation('createRoom'),
    );
    const { response, context } = await send(fresh('members only', 'alices-room'));
    expect(response.status).toBe(201);
    expect(context.extraOutputs.get(signalROut)).toEqual([
      { target: 'newMessage', arguments: [response.jsonBody], groupName: 'alices-room' },
      expect.objectContaining({ target: 'readState', userId: alice.id }),
    ]);
  });

  it(`answers 429 with Retry-After after ${RATE_LIMIT.max} messages in 10 s, having stored every accepted one`, async () => {
    const flooder = { id: 'dev-f100d00000000000', name: 'Flo' };
    const accepted: string[] = [];
    let limited: Awaited<ReturnType<typeof send>>['response'] | undefined;
    for (let i = 0; i < RATE_LIMIT.max + 1; i++) {
      const body = fresh(`flood ${i}`);
      const { response } = await send(body, flooder);
      if (response.status === 201) accepted.push(body.id);
      else limited = response;
    }
    expect(accepted).toHaveLength(RATE_LIMIT.max);
    expect(limited?.status).toBe(429);
    // Retrying an accepted message while limited is answered as accepted, not refused.
    const again = await send({ id: accepted[0], room: 'general', text: 'flood 0' }, flooder);
    expect(again.response.status).toBe(200);
    expect(again.context.extraOutputs.get(signalROut)).toBeUndefined();
    const retryAfter = Number((limited?.headers as Record<string, string>)['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    const history = await withErrors(getHistory)(
      request('GET', 'rooms/general/messages', { user: flooder, params: { room: 'general' }, query: { limit: '200' } }),
      invocation('history'),
    );
    const stored = (history.jsonBody as { messages: { id: string }[] }).messages.map((m) => m.id);
    for (const id of accepted) expect(stored).toContain(id);
  });

  it('answers 503 with the JSON shape while storage is down, and works again once it is back', async () => {
    await azurite.cutOff();
    try {
      const { response } = await send(fresh('into the void'));
      expect(response.status).toBe(503);
      expect(response.jsonBody).toMatchObject({ error: { code: 'service_unavailable' } });
    } finally {
      await azurite.restore();
    }
    const body = fresh('back again');
    expect((await send(body)).response.status).toBe(201);
  }, 60_000);
});

describe('replies', () => {
  // Own person: Jest runs files in parallel against one Azurite, and sends count against a person's rate limit.
  const rita = { id: 'dev-reply-rita00000', name: 'Rita' };
  const say = async (text: string, extra: Record<string, unknown> = {}) =>
    (await send({ ...fresh(text), ...extra }, rita)).response;

  it("quotes the original's sender and the start of its text, also on a page without the original", async () => {
    const long = 'x'.repeat(300);
    const original = (await say(long)).jsonBody as { id: string };
    const reply = await say('agreed', { replyTo: original.id });
    expect(reply.status).toBe(201);
    expect(reply.jsonBody).toMatchObject({
      replyTo: { id: original.id, sender: rita, excerpt: `${'x'.repeat(119)}…` },
    });
    const newest = await withErrors(getHistory)(
      request('GET', 'rooms/general/messages', { user: rita, params: { room: 'general' }, query: { limit: '1' } }),
      invocation('history'),
    );
    expect((newest.jsonBody as { messages: unknown[] }).messages).toEqual([reply.jsonBody]);
  });

  it('says the original was deleted once it is, and refuses new replies to it (409)', async () => {
    const original = (await say('soon gone')).jsonBody as { id: string };
    const reply = (await say('re: soon gone', { replyTo: original.id })).jsonBody as { id: string };
    await withErrors(deleteMessage)(
      request('DELETE', 'x', { user: rita, params: { room: 'general', id: original.id } }),
      invocation('deleteMessage'),
    );
    const page = await withErrors(getHistory)(
      request('GET', 'rooms/general/messages', { user: rita, params: { room: 'general' }, query: { limit: '5' } }),
      invocation('history'),
    );
    const shown = (page.jsonBody as { messages: { id: string; replyTo?: unknown }[] }).messages.find(
      (m) => m.id === reply.id,
    );
    expect(shown?.replyTo).toEqual({ id: original.id, deleted: true });
    expect((await say('too late', { replyTo: original.id })).status).toBe(409);
  });

  it('refuses a reply to a message of another room (404) and a malformed id (400)', async () => {
    await withErrors(postRoom)(
      request('POST', 'rooms', { user: rita, body: { name: 'reply-elsewhere' } }),
      invocation('c'),
    );
    const elsewhere = (await send({ ...fresh('elsewhere'), room: 'reply-elsewhere' }, rita)).response.jsonBody as {
      id: string;
    };
    expect((await say('cross-room', { replyTo: elsewhere.id })).status).toBe(404);
    expect((await say('bad', { replyTo: "x' or 1 eq 1" })).status).toBe(400);
  });
});

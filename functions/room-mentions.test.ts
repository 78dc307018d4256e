/**
 * `@room` and mentions in a room of 160 members, with the real pieces: the functions against
 * Azurite, their output delivered by the local host's signalR binding to our SignalR emulator, and
 * the real `@microsoft/signalr` client receiving.
 *
 * - A send or an edit with `@room` reaches the room as one group event; an edit toggling `@room`
 *   costs the same storage round trips and SignalR calls in a room of 160 as in a room of 3, and
 *   tells the room at most once however often it is toggled.
 * - `@room` has a budget per person and room: 429 with `Retry-After` past it.
 * - A SignalR failure part-way through a send's or an edit's events (a throttled REST call) loses
 *   no mention: the client's retry and announce (a send) or its repeat (an edit) send them again.
 */
import { randomUUID } from 'node:crypto';

import { deliverSignalROutput } from '@hubbub/functions-host';

import { type Message, ROOM_MENTION_RATE_LIMIT } from '../contract';
import { waitFor } from '../packages/signalr-emulator/src/testing/helpers';
import { announceMessage } from './announce-message';
import { addMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { editMessage } from './edit-message';
import { getHistory } from './history';
import { postMessage } from './messages';
import { putMute } from './mute-room';
import type { Principal } from './platform/http/identity';
import { signalROut } from './platform/signalr/signalr';
import { call } from './testing/calls';
import { useLiveStack } from './testing/live-stack';
import { countRoundTrips } from './testing/round-trips';

const stack = useLiveStack();

const person = (name: string): Principal => ({ id: `dev-rm-${name}-${randomUUID().slice(0, 8)}`, name });
type MentionEvent = { room: string; message: Message };

/** SignalR REST calls the outputs made; `failAt` (1-based) answers that call 429, as a throttled service does. */
async function deliver(outputs: unknown, failAt?: number): Promise<{ calls: number; failed: boolean }> {
  let calls = 0;
  const counting: typeof fetch = (input, init) => {
    calls++;
    if (calls === failAt) return Promise.resolve(new Response('throttled', { status: 429 }));
    return fetch(input, init);
  };
  try {
    await deliverSignalROutput(signalROut, outputs, { fetch: counting });
    return { calls, failed: false };
  } catch {
    return { calls, failed: true }; // the host answers the invocation 500
  }
}

/** A connected member: every `mention` and `newMessage` it receives, and a probe to know all earlier deliveries arrived. */
async function listen(user: Principal, room: string) {
  const connection = await stack.connect(user);
  const mentions: MentionEvent[] = [];
  const probes: string[] = [];
  connection.on('mention', (event: MentionEvent) => mentions.push(event));
  connection.on('typing', (event: { room: string; user: { id: string } }) => probes.push(event.user.id));
  await deliver([{ action: 'add', groupName: room, userId: user.id }]);
  return {
    mentions,
    /** Every event sent before this call has reached the client (one connection keeps order). */
    async settled(): Promise<void> {
      const id = randomUUID();
      await deliver([{ target: 'typing', arguments: [{ room, user: { id, name: 'probe' } }], userId: user.id }]);
      await waitFor(() => probes.includes(id), 5000, `the probe ${id}`);
    },
  };
}

async function roomOf(size: number, owner: Principal, ...people: Principal[]): Promise<string> {
  const room = `rm-${randomUUID().slice(0, 8)}`;
  expect(await createRoom(room, owner)).toBe(true);
  const everyone = [...people, ...Array.from({ length: size - people.length - 1 }, (_, i) => person(`m${i}`))];
  for (let i = 0; i < everyone.length; i += 20)
    await Promise.all(everyone.slice(i, i + 20).map((p) => addMember(room, p)));
  return room;
}

const send = (user: Principal, room: string, text: string, extra: Record<string, unknown> = {}, id = randomUUID()) =>
  call<Message>(postMessage, 'POST', 'messages', { user, body: { id, room, text, ...extra } });
const edit = (user: Principal, message: Message, body: Record<string, unknown>) =>
  call<Message>(editMessage, 'PATCH', `rooms/${message.room}/messages/${message.id}`, {
    user,
    params: { room: message.room, id: message.id },
    body,
  });

describe('@room in a room of 160 members', () => {
  it('a send reaches the room as one group event; muted members get it too and apply their mute', async () => {
    const [author, ann, mia] = [person('author'), person('ann'), person('mia')];
    const room = await roomOf(160, author, ann, mia);
    await call(putMute, 'PUT', `rooms/${room}/mute`, { user: mia, params: { room }, body: { muted: true } });
    const [annHears, miaHears] = [await listen(ann, room), await listen(mia, room)];

    const { result, trips } = await countRoundTrips(() => send(author, room, '@room standup', { mentionsRoom: true }));
    expect(result.status).toBe(201);
    // A plain send's (at most 14, its count included: the room's row, membership again after a
    // counter read cold, the sender's chosen name) plus the @room budget's read and write: none per member.
    expect(trips.length).toBeLessThanOrEqual(16);
    const delivered = await deliver(result.outputs);
    // newMessage, the author's readState, one group mention: not one call per member.
    expect(delivered).toEqual({ calls: 3, failed: false });
    await Promise.all([annHears.settled(), miaHears.settled()]);
    expect(annHears.mentions.map((m) => m.message.id)).toEqual([result.body.id]);
    // The event carries the room: the client drops it for a muted room (src/app/notifications).
    expect(miaHears.mentions).toEqual([{ room, message: result.body }]);
  }, 120_000);

  it('toggling @room by edits costs the same in 160 as in 3, and tells the room once', async () => {
    const author = person('author');
    const ann = person('ann');
    const big = await roomOf(160, author, ann);
    const small = await roomOf(3, author, ann);
    const annHears = await listen(ann, big);

    const costs: Record<string, { storage: number; signalR: number }[]> = { big: [], small: [] };
    for (const [name, room] of [
      ['big', big],
      ['small', small],
    ] as const) {
      const message = (await send(author, room, 'standup')).body;
      for (let revision = 1; revision <= 6; revision++) {
        const on = revision % 2 === 1;
        const { result, trips } = await countRoundTrips(() =>
          edit(author, message, { text: on ? '@room standup' : 'standup', revision, mentions: [], mentionsRoom: on }),
        );
        expect(result.status).toBe(200);
        expect(result.body.mentionsRoom).toBe(on ? true : undefined);
        const delivered = await deliver(result.outputs);
        costs[name].push({ storage: trips.length, signalR: delivered.calls });
      }
    }
    // messageChanged, plus one group mention the first time only.
    expect(costs['big'].map((c) => c.signalR)).toEqual([2, 1, 1, 1, 1, 1]);
    expect(costs['big']).toEqual(costs['small']);
    expect(Math.max(...costs['big'].map((c) => c.storage))).toBeLessThanOrEqual(14);

    await annHears.settled();
    expect(annHears.mentions).toHaveLength(1);
  }, 120_000);

  it(`past ${ROOM_MENTION_RATE_LIMIT.max} @room in the window: 429 with Retry-After, nothing stored, plain sends still go`, async () => {
    const [author, ann] = [person('author'), person('ann')];
    const room = await roomOf(5, author, ann);
    const message = (await send(author, room, 'plain')).body;
    for (let i = 0; i < ROOM_MENTION_RATE_LIMIT.max - 1; i++) {
      expect((await send(author, room, `@room ${i}`, { mentionsRoom: true })).status).toBe(201);
    }
    // An edit that would tell the room takes from the same budget.
    expect((await edit(author, message, { text: '@room plain', revision: 1, mentionsRoom: true })).status).toBe(200);
    const id = randomUUID();
    const refused = await send(author, room, '@room again', { mentionsRoom: true }, id);
    expect(refused.status).toBe(429);
    expect(Number((refused.headers as Record<string, string>)['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.outputs).toBeUndefined();
    // Nothing was stored under that id: sending it again later stores it once.
    const history = (
      await call<{ messages: Message[] }>(getHistory, 'GET', `rooms/${room}/messages`, {
        user: author,
        params: { room },
      })
    ).body.messages;
    expect(history.map((m) => m.id)).not.toContain(id);
    // Editing an @room message again tells nobody, so it takes nothing; plain sends are not limited by it.
    expect((await edit(author, message, { text: '@room plain!', revision: 2, mentionsRoom: true })).status).toBe(200);
    expect((await send(author, room, 'no room mention')).status).toBe(201);
    const otherRoom = await roomOf(3, author);
    expect((await send(author, otherRoom, '@room elsewhere', { mentionsRoom: true })).status).toBe(201);
  }, 120_000);
});

describe('a SignalR failure part-way through the events', () => {
  it("a send's lost mentions reach people after the client's retry and announce", async () => {
    const [author, ann, ben] = [person('author'), person('ann'), person('ben')];
    const room = await roomOf(4, author, ann, ben);
    const [annHears, benHears] = [await listen(ann, room), await listen(ben, room)];

    const id = randomUUID();
    const first = await send(author, room, 'hi both', { mentions: [ann.id, ben.id] }, id);
    expect(first.status).toBe(201);
    // newMessage and the author's readState go; the first mention is throttled: the host answers 500.
    expect(await deliver(first.outputs, 3)).toEqual({ calls: 3, failed: true });
    await Promise.all([annHears.settled(), benHears.settled()]);
    expect([...annHears.mentions, ...benHears.mentions]).toEqual([]);

    // The client retries (the message is stored: 200, nothing sent), then announces it.
    const retry = await send(author, room, 'hi both', { mentions: [ann.id, ben.id] }, id);
    expect(retry.status).toBe(200);
    const announced = await call(announceMessage, 'POST', `rooms/${room}/messages/${id}/announce`, {
      user: author,
      params: { room, id },
      body: {},
    });
    expect(announced.status).toBe(202);
    expect(await deliver(announced.outputs)).toEqual({ calls: 3, failed: false });
    await Promise.all([annHears.settled(), benHears.settled()]);
    expect(annHears.mentions.map((m) => m.message.id)).toEqual([id]);
    expect(benHears.mentions.map((m) => m.message.id)).toEqual([id]);
  }, 120_000);

  it("an edit's lost mention reaches its person when the client repeats the edit", async () => {
    const [author, ann] = [person('author'), person('ann')];
    const room = await roomOf(3, author, ann);
    const annHears = await listen(ann, room);
    const message = (await send(author, room, 'lunch?')).body;
    const body = { text: `<@${ann.id}> lunch?`, revision: 1, mentions: [ann.id] };

    const first = await edit(author, message, body);
    expect(first.status).toBe(200);
    // messageChanged goes; the mention is throttled.
    expect((await deliver(first.outputs, 2)).failed).toBe(true);
    await annHears.settled();
    expect(annHears.mentions).toEqual([]);

    const repeat = await edit(author, message, body);
    expect(repeat.status).toBe(200);
    expect((await deliver(repeat.outputs)).failed).toBe(false);
    await annHears.settled();
    expect(annHears.mentions.map((m) => m.message.id)).toEqual([message.id]);
  }, 120_000);
});

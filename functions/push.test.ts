/**
 * Web Push end to end against Azurite and a real push service played by a local HTTP receiver
 * (functions/testing/push-receiver.ts, which checks the VAPID JWT and decrypts each push itself):
 * a send enqueues one job, the queue function (called here as the host calls it, with the queue's
 * own messages) works out whom to push to and pushes through `web-push`.
 */
import { randomUUID } from 'node:crypto';

import type { QueueClient } from '@azure/storage-queue';
import webpush from 'web-push';

import {
  type Message,
  messageAddress,
  notificationTag,
  PUSH_TTL_SECONDS,
  type PushDeviceList,
  type PushPayload,
} from '../contract';
import { deliverPushes } from './deliver-pushes';
import { block } from './domain/people/blocks-store';
import { rememberUser } from './domain/people/people-store';
import { setDoNotDisturb } from './domain/presence/do-not-disturb';
import { addConnection, removeConnection } from './domain/presence/presence-store';
import { PUSH_ORIGINS_SETTING } from './domain/push/endpoints';
import { failedPushEnqueues, pushQueueIdle, usePushQueue } from './domain/push/push-queue';
import { VAPID_PRIVATE_KEY_SETTING, VAPID_PUBLIC_KEY_SETTING, VAPID_SUBJECT_SETTING } from './domain/push/vapid';
import { addMember, removeMember } from './domain/rooms/membership-changes';
import { openConversation } from './domain/rooms/rooms-store';
import { createRoom } from './domain/rooms/rooms-store';
import { searchIndexIdle } from './domain/search/search-index';
import { postMessage } from './messages';
import type { Principal } from './platform/http/identity';
import { queue } from './platform/storage/queues';
import { pushSubscriptions } from './push-subscriptions';
import { getVapidKey } from './push-vapid-key';
import { putRoomNotifications } from './room-notifications';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { type PushReceiver, startPushReceiver, type TestSubscription } from './testing/push-receiver';
import { invocation } from './testing/requests';

// Real HTTP, queue and storage round trips: generous on a busy machine.
jest.setTimeout(30_000);

const SUBJECT = 'mailto:push-test@hubbub.example';
const QUEUE = `push-test-${randomUUID().slice(0, 8)}`;

let azurite: TestAzurite;
let receiver: PushReceiver;
let jobs: QueueClient;
beforeAll(async () => {
  azurite = await startAzurite();
  receiver = await startPushReceiver(SUBJECT);
  const keys = webpush.generateVAPIDKeys();
  process.env[VAPID_PUBLIC_KEY_SETTING] = keys.publicKey;
  process.env[VAPID_PRIVATE_KEY_SETTING] = keys.privateKey;
  process.env[VAPID_SUBJECT_SETTING] = SUBJECT;
  process.env[PUSH_ORIGINS_SETTING] = receiver.origin;
  usePushQueue(QUEUE);
  jobs = await queue(QUEUE);
}, 60_000);
afterAll(async () => {
  // Background work of the sends (search index, push enqueues) ends before storage goes.
  await Promise.all([pushQueueIdle(), searchIndexIdle()]);
  await jobs?.deleteIfExists();
  await receiver?.stop();
  await azurite.stop();
});

const person = (name: string): Principal => ({ id: `dev-push-${name}-${randomUUID().slice(0, 8)}`, name });

/** A private room of these people (the first owns it). */
async function newRoom(...members: Principal[]): Promise<string> {
  const room = `push-${randomUUID().slice(0, 8)}`;
  expect(await createRoom(room, members[0], true)).toBe(true);
  for (const user of members) await addMember(room, user);
  return room;
}

const subscribeWith = (user: Principal, body: unknown) =>
  call<{ endpoint?: string; error?: { message: string } }>(pushSubscriptions, 'POST', 'push/subscriptions', {
    user,
    body,
  });
async function subscribe(user: Principal): Promise<TestSubscription> {
  const subscription = receiver.subscribe();
  const stored = await subscribeWith(user, { ...subscription, expirationTime: null, device: `${user.name}'s laptop` });
  expect(stored.status).toBe(201);
  return subscription;
}
const devices = async (user: Principal) =>
  (await call<PushDeviceList>(pushSubscriptions, 'GET', 'push/subscriptions', { user })).body.devices;

const send = async (user: Principal, room: string, text: string, extra: Record<string, unknown> = {}) => {
  const sent = await call<Message>(postMessage, 'POST', 'messages', {
    user,
    body: { id: randomUUID(), room, text, ...extra },
  });
  expect(sent.status).toBe(201);
  return sent.body;
};
const setLevel = async (user: Principal, room: string, level: string) =>
  expect(
    (
      await call(putRoomNotifications, 'PUT', `rooms/${room}/notifications`, {
        user,
        params: { room },
        body: { level },
      })
    ).status,
  ).toBe(200);

type Job = { kind: string; room?: string; id?: string };
/**
 * Runs the queue's jobs as the host's queue trigger would (each message's text to the function, the
 * message deleted once it returns) until the queue is empty and `until` holds; the jobs it ran.
 */
async function drain(until: () => boolean = () => true, timeoutMs = 15_000): Promise<Job[]> {
  await pushQueueIdle();
  const ran: Job[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { receivedMessageItems } = await jobs.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    for (const item of receivedMessageItems) {
      const text = Buffer.from(item.messageText, 'base64').toString('utf8');
      ran.push(JSON.parse(text) as Job);
      await deliverPushes(text, invocation('deliverPushes'));
      await jobs.deleteMessage(item.messageId, item.popReceipt);
    }
    if (receivedMessageItems.length > 0) continue;
    if (until()) return ran;
    if (Date.now() > deadline) throw new Error('the push queue did not get there in time');
    // A delayed retry becomes visible later: ask the queue again shortly.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const pushesTo = (subscription: TestSubscription) =>
  receiver.received.filter((r) => r.subscription === subscription.id);

describe('push subscriptions', () => {
  it('answers the VAPID public key, base64url uncompressed P-256', async () => {
    const key = await call<{ key: string }>(getVapidKey, 'GET', 'push/vapid-public-key', { user: person('key') });
    expect(key.status).toBe(200);
    expect(key.body.key).toBe(process.env[VAPID_PUBLIC_KEY_SETTING]);
    expect(Buffer.from(key.body.key, 'base64url')).toHaveLength(65);
  });

  it('stores, lists and removes a device; the same endpoint again updates it', async () => {
    const ann = person('ann');
    const subscription = await subscribe(ann);
    await subscribe(ann);
    expect(await devices(ann)).toHaveLength(2);
    expect((await subscribeWith(ann, { ...subscription, device: 'Renamed' })).status).toBe(201);
    const listed = await devices(ann);
    expect(listed).toHaveLength(2);
    expect(listed.find((d) => d.endpoint === subscription.endpoint)?.device).toBe('Renamed');
    const removed = await call(pushSubscriptions, 'DELETE', 'push/subscriptions', {
      user: ann,
      query: { endpoint: subscription.endpoint },
    });
    expect(removed.status).toBe(204);
    expect((await devices(ann)).map((d) => d.endpoint)).not.toContain(subscription.endpoint);
  });

  it('refuses endpoints off the allow-list, http ones by default, and an 11th device', async () => {
    const bea = person('bea');
    const keys = receiver.subscribe().keys;
    const elsewhere = await subscribeWith(bea, { endpoint: 'https://169.254.169.254/latest/meta-data', keys });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error?.message).toMatch(/^endpoint must be on a push service Hubbub posts to/);

    const configured = process.env[PUSH_ORIGINS_SETTING];
    delete process.env[PUSH_ORIGINS_SETTING];
    try {
      const http = await subscribeWith(bea, { endpoint: 'http://fcm.googleapis.com/fcm/send/x', keys });
      expect(http).toMatchObject({
        status: 400,
        body: { error: { message: 'endpoint must be an https URL of a push service' } },
      });
      const local = await subscribeWith(bea, { endpoint: `${receiver.origin}/push/x`, keys });
      expect(local.status).toBe(400);
    } finally {
      process.env[PUSH_ORIGINS_SETTING] = configured;
    }
    const malformed = await subscribeWith(bea, {
      endpoint: `${receiver.origin}/push/x`,
      keys: { p256dh: 'short', auth: keys.auth },
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: { message: 'keys.p256dh must be a base64url P-256 public key' } },
    });

    const first = await subscribe(bea);
    for (let i = 1; i < 10; i++) await subscribe(bea);
    const eleventh = await subscribeWith(bea, receiver.subscribe());
    expect(eleventh).toMatchObject({
      status: 409,
      body: { error: { message: 'At most 10 devices receive push; remove one first' } },
    });
    // The same endpoint again is an update, not an 11th.
    expect((await subscribeWith(bea, first)).status).toBe(201);
    expect(await devices(bea)).toHaveLength(10);
  });
});

describe('push delivery', () => {
  it('a mention reaches an offline member’s device, encrypted and signed; not a connected one, nor the author', async () => {
    const [ann, ben, cat] = [person('ann'), person('ben'), person('cat')];
    for (const p of [ann, ben, cat]) await rememberUser(p);
    const room = await newRoom(ann, ben, cat);
    const [annDevice, benDevice, catDevice] = [await subscribe(ann), await subscribe(ben), await subscribe(cat)];
    await addConnection(cat.id, `conn-${randomUUID()}`);
    const message = await send(ann, room, `Look at **this** [page](https://example.com) <@${ben.id}> <@${cat.id}>`, {
      mentions: [ben.id, cat.id],
    });
    const ran = await drain(() => pushesTo(benDevice).length === 1);
    // The send enqueued one job for its message.
    expect(ran[0]).toEqual({ kind: 'message', room, id: message.id });
    expect(ran.filter((j) => j.kind === 'message')).toHaveLength(1);

    const [push] = pushesTo(benDevice);
    expect(push.payload).toEqual({
      room,
      roomTitle: room,
      sender: { id: ann.id, name: 'ann' },
      excerpt: 'Look at this page @ben @cat', // the mention tokens as the people's names
      messageId: message.id,
      url: messageAddress(room, message.id),
      tag: notificationTag(room, message.id),
      reason: 'mention',
    } satisfies PushPayload);
    expect(push.headers['ttl']).toBe(String(PUSH_TTL_SECONDS));
    expect(push.headers['urgency']).toBe('high');
    expect(push.jwt.sub).toBe(SUBJECT);
    expect(pushesTo(catDevice)).toEqual([]);
    expect(pushesTo(annDevice)).toEqual([]);
    expect(receiver.refused).toEqual([]);
  });

  it('follows levels: all gets a plain message, mentions does not, nothing gets not even a mention', async () => {
    const [ann, ben, cat, dan] = [person('ann'), person('ben'), person('cat'), person('dan')];
    const room = await newRoom(ann, ben, cat, dan);
    const [benDevice, catDevice, danDevice] = [await subscribe(ben), await subscribe(cat), await subscribe(dan)];
    await setLevel(ben, room, 'all');
    await setLevel(dan, room, 'nothing');
    await send(ann, room, 'plain words');
    await send(ann, room, 'and @dan', { mentions: [dan.id] });
    await drain(() => pushesTo(benDevice).length === 2);
    expect(pushesTo(benDevice).map((p) => [p.payload['reason'], p.headers['urgency']])).toEqual([
      ['all', 'normal'],
      ['all', 'normal'],
    ]);
    expect(pushesTo(catDevice)).toEqual([]);
    expect(pushesTo(danDevice)).toEqual([]);
  });

  it('pushes every message of a conversation to its other people, titled by the others', async () => {
    const [ann, ben, cat] = [person('ann'), person('ben'), person('cat')];
    for (const p of [ann, ben, cat]) await rememberUser(p);
    const group = await openConversation(ann, [ben, cat]);
    const [annDevice, benDevice] = [await subscribe(ann), await subscribe(ben)];
    await send(ann, group.name, 'hello both');
    await drain(() => pushesTo(benDevice).length === 1);
    expect(pushesTo(benDevice)[0].payload).toMatchObject({
      reason: 'dm',
      roomTitle: 'ann, cat',
      excerpt: 'hello both',
    });
    expect(pushesTo(benDevice)[0].headers['urgency']).toBe('high');
    expect(pushesTo(annDevice)).toEqual([]);
  });

  it('@room reaches every offline member, in batches', async () => {
    const ann = person('ann');
    const members = Array.from({ length: 30 }, (_, i) => person(`m${i}`));
    const room = await newRoom(ann, ...members);
    const devicesOf = await Promise.all(members.map((m) => subscribe(m)));
    await send(ann, room, '@room lunch', { mentionsRoom: true });
    const ran = await drain(() => devicesOf.every((d) => pushesTo(d).length === 1));
    expect(ran.filter((j) => j.kind === 'recipients')).toHaveLength(2);
    expect(new Set(devicesOf.map((d) => pushesTo(d)[0].payload['reason']))).toEqual(new Set(['room']));
  });

  it('skips do not disturb, a blocked author and someone removed since', async () => {
    const [ann, ben, cat, dan, eve] = [person('ann'), person('ben'), person('cat'), person('dan'), person('eve')];
    const room = await newRoom(ann, ben, cat, dan, eve);
    const [benDevice, catDevice, danDevice, eveDevice] = await Promise.all(
      [ben, cat, dan, eve].map((p) => subscribe(p)),
    );
    await setDoNotDisturb(ben.id, new Date(Date.now() + 60 * 60_000).toISOString());
    await block(cat, ann);
    await send(ann, room, 'hey all four', { mentions: [ben.id, cat.id, dan.id, eve.id] });
    await removeMember(room, dan.id);
    await drain(() => pushesTo(eveDevice).length === 1);
    expect(pushesTo(benDevice)).toEqual([]);
    expect(pushesTo(catDevice)).toEqual([]);
    expect(pushesTo(danDevice)).toEqual([]);
  });

  it('deletes a subscription the push service says is gone (410)', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    const room = await newRoom(ann, ben);
    const benDevice = await subscribe(ben);
    receiver.answer(benDevice, { status: 410 });
    await send(ann, room, 'still there?', { mentions: [ben.id] });
    await drain(() => pushesTo(benDevice).length === 1);
    expect(await devices(ben)).toEqual([]);
  });

  it('retries a 503 after its Retry-After and delivers once', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    const room = await newRoom(ann, ben);
    const benDevice = await subscribe(ben);
    receiver.answer(benDevice, { status: 503, retryAfter: '1' });
    const message = await send(ann, room, 'try again', { mentions: [ben.id] });
    const ran = await drain(() => pushesTo(benDevice).length === 2);
    expect(pushesTo(benDevice).map((p) => [p.status, p.payload['messageId']])).toEqual([
      [503, message.id],
      [201, message.id],
    ]);
    expect(ran.filter((j) => j.kind === 'retry')).toHaveLength(1);
    expect(await devices(ben)).toHaveLength(1);
  });

  it('a person who reconnected is not pushed; once gone again they are', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    const room = await newRoom(ann, ben);
    const benDevice = await subscribe(ben);
    const connection = `conn-${randomUUID()}`;
    await addConnection(ben.id, connection);
    await send(ann, room, 'while here', { mentions: [ben.id] });
    await drain();
    expect(pushesTo(benDevice)).toEqual([]);
    await removeConnection(ben.id, connection);
    await send(ann, room, 'while away', { mentions: [ben.id] });
    await drain(() => pushesTo(benDevice).length === 1);
    expect(pushesTo(benDevice)[0].payload['excerpt']).toBe('while away');
  });

  it('a send whose push job cannot be enqueued still answers, and the failure is counted', async () => {
    const [ann, ben] = [person('ann'), person('ben')];
    const room = await newRoom(ann, ben);
    const before = failedPushEnqueues();
    usePushQueue('no_such-queue'); // not a valid queue name: the queue service refuses it
    try {
      await send(ann, room, 'no push for this', { mentions: [ben.id] });
      await pushQueueIdle();
    } finally {
      usePushQueue(QUEUE);
    }
    expect(failedPushEnqueues()).toBe(before + 1);
  });
});

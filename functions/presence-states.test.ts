/**
 * Presence states against Azurite, on a test clock: active once connected, away when the latest
 * heartbeat says so, dnd while do not disturb is on, offline with no live connection. A `presence`
 * event (with `state`) goes to everyone once per change; a heartbeat, a second tab or a do not
 * disturb change that leaves the state as it was sends nothing.
 */
import { randomUUID } from 'node:crypto';

import type { PresenceState, UserList } from '../contract';
import { PRESENCE_TTL_MS } from '../contract';
import { changeDoNotDisturb } from './do-not-disturb';
import { connected } from './domain/connections/connected';
import { disconnected } from './domain/connections/disconnected';
import { SWEEP_INTERVAL_MS } from './domain/presence/presence-store';
import type { Principal } from './platform/http/identity';
import { signalROut } from './platform/signalr/signalr';
import { postHeartbeat } from './presence-heartbeat';
import { myProfile } from './profile';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';
import { invocation } from './testing/requests';
import { useTestClock } from './testing/test-clock';
import { getUsers } from './users';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await azurite.stop();
});

const clock = useTestClock(Date.UTC(2031, 0, 1));

const person = (name: string): Principal => ({ id: `dev-pst-${name.toLowerCase()}-${randomUUID().slice(0, 8)}`, name });

/** The `presence` events among what a call handed the binding (a sweep may add other people's: only this person's). */
function presenceOf(outputs: unknown, user: Principal): { online: boolean; state: PresenceState }[] {
  return (
    (outputs as { target?: string; arguments: { user: Principal; online: boolean; state: PresenceState }[] }[]) ?? []
  )
    .filter((a) => a.target === 'presence' && a.arguments[0].user.id === user.id)
    .map((a) => ({ online: a.arguments[0].online, state: a.arguments[0].state }));
}

async function connect(user: Principal, connectionId: string) {
  const context = invocation('connected');
  await connected({ ConnectionId: connectionId, UserId: user.id }, context);
  return presenceOf(context.extraOutputs.get(signalROut), user);
}

async function disconnect(user: Principal, connectionId: string) {
  const context = invocation('disconnected');
  await disconnected({ ConnectionId: connectionId, UserId: user.id }, context);
  return presenceOf(context.extraOutputs.get(signalROut), user);
}

async function beat(user: Principal, body: unknown = {}) {
  clock.advance(5_000);
  const answer = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user, body });
  expect(answer.status).toBe(204);
  return presenceOf(answer.outputs, user);
}

async function dnd(user: Principal, on: boolean) {
  const answer = on
    ? await call(changeDoNotDisturb, 'PUT', 'me/do-not-disturb', {
        user,
        body: { until: new Date(clock.now() + 60 * 60_000).toISOString() },
      })
    : await call(changeDoNotDisturb, 'DELETE', 'me/do-not-disturb', { user });
  expect(answer.status).toBeLessThan(300);
  return presenceOf(answer.outputs, user);
}

async function listed(viewer: Principal, user: Principal) {
  const list = await call<UserList>(getUsers, 'GET', 'users', { user: viewer, query: { id: user.id } });
  const [entry] = list.body.users;
  return { online: entry.online, presence: entry.presence };
}

const event = (state: PresenceState) => [{ online: state !== 'offline', state }];

describe('presence states', () => {
  it('active, away, dnd and offline: one event per change, none when the state stays', async () => {
    const eve = person('Eve');
    const viewer = person('Fay');
    await signIn(eve);
    await signIn(viewer);
    expect(await listed(viewer, eve)).toEqual({ online: false, presence: 'offline' });

    expect(await connect(eve, 'eve-1')).toEqual(event('active'));
    expect(await listed(viewer, eve)).toEqual({ online: true, presence: 'active' });
    // A second tab, and heartbeats that say nothing new: no event.
    expect(await connect(eve, 'eve-2')).toEqual([]);
    expect(await beat(eve)).toEqual([]);
    expect(await beat(eve, { away: false })).toEqual([]);

    // Idle: away, once however many heartbeats say so.
    expect(await beat(eve, { away: true })).toEqual(event('away'));
    expect(await beat(eve, { away: true })).toEqual([]);
    expect(await listed(viewer, eve)).toEqual({ online: true, presence: 'away' });
    expect(await beat(eve, { away: false })).toEqual(event('active'));

    // Do not disturb wins over away; turning it off shows what the latest heartbeat said.
    expect(await dnd(eve, true)).toEqual(event('dnd'));
    expect(await beat(eve, { away: true })).toEqual([]);
    expect(await listed(viewer, eve)).toEqual({ online: true, presence: 'dnd' });
    const own = await call(myProfile, 'GET', 'me/profile', { user: eve });
    expect(own.body).toMatchObject({ presence: 'dnd' });
    expect(await dnd(eve, true)).toEqual([]);
    expect(await dnd(eve, false)).toEqual(event('away'));
    expect(await beat(eve)).toEqual(event('active'));

    // The first tab closes: nothing; the last: offline.
    expect(await disconnect(eve, 'eve-1')).toEqual([]);
    expect(await disconnect(eve, 'eve-2')).toEqual(event('offline'));
    expect(await listed(viewer, eve)).toEqual({ online: false, presence: 'offline' });
    // Do not disturb while offline: still offline, nothing to tell.
    expect(await dnd(eve, true)).toEqual([]);
    expect(await listed(viewer, eve)).toEqual({ online: false, presence: 'offline' });
    // Back while it is on: dnd straight away.
    expect(await connect(eve, 'eve-3')).toEqual(event('dnd'));
    await disconnect(eve, 'eve-3');
  });

  it('comes back active after being away offline, and do not disturb ending by itself is told at the next heartbeat', async () => {
    const gil = person('Gil');
    await signIn(gil);
    expect(await connect(gil, 'gil-1')).toEqual(event('active'));
    expect(await beat(gil, { away: true })).toEqual(event('away'));
    expect(await disconnect(gil, 'gil-1')).toEqual(event('offline'));
    // The latest word was "away", but a return starts active until a heartbeat says otherwise.
    expect(await connect(gil, 'gil-2')).toEqual(event('active'));

    await dnd(gil, true);
    clock.advance(60 * 60_000 + 1);
    // The heartbeat after its end finds the state changed: one event.
    expect(await beat(gil)).toEqual(event('active'));
    expect(await beat(gil)).toEqual([]);
    await disconnect(gil, 'gil-2');
  });

  it('a person whose connections went stale is told offline once by the sweep, and active again when they return', async () => {
    const hub = person('Hub');
    const watcher = person('Ike');
    await signIn(hub);
    await signIn(watcher);
    expect(await connect(hub, 'hub-1')).toEqual(event('active'));
    clock.advance(PRESENCE_TTL_MS + SWEEP_INTERVAL_MS);
    // Someone else's heartbeat runs the sweep, which finds Hub stale.
    const sweepers: unknown[] = [];
    for (let i = 0; i < 3 && sweepers.length === 0; i++) {
      const answer = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: watcher, body: {} });
      sweepers.push(...presenceOf(answer.outputs, hub));
      clock.advance(SWEEP_INTERVAL_MS);
    }
    expect(sweepers).toEqual(event('offline'));
    // A late disconnect of the stale connection: already told.
    expect(await disconnect(hub, 'hub-1')).toEqual([]);
    expect(await beat(hub)).toEqual(event('active'));
  });

  it('refuses a heartbeat body that is not `{ away? }`, and takes an empty one as not away', async () => {
    const jan = person('Jan');
    await signIn(jan);
    const bad = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: jan, body: { away: 'yes' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: 'away must be true or false' } } });
    const empty = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: jan, rawBody: '' });
    expect(empty.status).toBe(204);
    expect(presenceOf(empty.outputs, jan)).toEqual(event('active'));
  });
});

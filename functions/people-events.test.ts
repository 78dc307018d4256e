/**
 * What a status or presence change costs in SignalR, measured against our emulator with real
 * `@microsoft/signalr` clients: the functions run against Azurite, their output is delivered by the
 * local host's signalR binding, and every connected person hears it. One change = one REST call to
 * the service (a broadcast), however many people listen; an unchanged state = none.
 */
import { randomUUID } from 'node:crypto';

import { deliverSignalROutput } from '@hubbub/functions-host';
import { type RunningEmulator, startEmulator } from '@hubbub/signalr-emulator';
import type { HubConnection } from '@microsoft/signalr';

import type { PresenceEvent, Profile } from '../contract';
import {
  clientToken,
  collect,
  connectClient,
  stopAll,
  waitFor,
} from '../packages/signalr-emulator/src/testing/helpers';
import type { Principal } from './platform/http/identity';
import { CONNECTION_SETTING, signalROut } from './platform/signalr/signalr';
import { postHeartbeat } from './presence-heartbeat';
import { changeStatus } from './status';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';

let azurite: TestAzurite;
let emulator: RunningEmulator;
const clients: HubConnection[] = [];
beforeAll(async () => {
  azurite = await startAzurite();
  emulator = await startEmulator({ port: 0 });
  process.env[CONNECTION_SETTING] = emulator.connectionString;
}, 60_000);
afterAll(async () => {
  await stopAll(clients);
  await emulator.close();
  await azurite.stop();
});

const person = (name: string): Principal => ({ id: `dev-pev-${name}-${randomUUID().slice(0, 8)}`, name });

/** Delivers a function's SignalR output as the host does; answers how many REST calls it made. */
async function deliver(outputs: unknown): Promise<number> {
  let calls = 0;
  const counting: typeof fetch = (input, init) => {
    calls++;
    return fetch(input, init);
  };
  if (outputs !== undefined) await deliverSignalROutput(signalROut, outputs, { fetch: counting });
  return calls;
}

async function listener(user: Principal) {
  const connection = await connectClient(emulator, clientToken(user.id));
  clients.push(connection);
  return {
    profiles: collect(connection, 'profileChanged') as [Profile][],
    presence: collect(connection, 'presence') as [PresenceEvent][],
  };
}

describe('people events through the emulator', () => {
  it('a status change is one broadcast every listener hears; a presence change likewise; no change, no call', async () => {
    const kai = person('kai');
    const watchers = [person('w1'), person('w2'), person('w3')];
    for (const user of [kai, ...watchers]) await signIn(user);
    const heard = await Promise.all(watchers.map((w) => listener(w)));

    const set = await call(changeStatus, 'PUT', 'me/status', { user: kai, body: { emoji: '🎧', text: 'Focusing' } });
    expect(set.status).toBe(200);
    expect(await deliver(set.outputs)).toBe(1);
    await waitFor(() => heard.every((h) => h.profiles.length === 1), 5000, 'profileChanged at every listener');
    for (const h of heard) {
      expect(h.profiles[0][0]).toMatchObject({ id: kai.id, status: { emoji: '🎧', text: 'Focusing' } });
    }

    // Kai's tab says away: one broadcast with the state; saying it again sends nothing.
    const first = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: kai, body: {} });
    expect(await deliver(first.outputs)).toBeGreaterThanOrEqual(1);
    const away = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: kai, body: { away: true } });
    const ownEvents = (away.outputs as { arguments: PresenceEvent[] }[]).filter(
      (a) => a.arguments[0].user.id === kai.id,
    );
    expect(ownEvents).toHaveLength(1);
    expect(await deliver(ownEvents)).toBe(1);
    await waitFor(
      () => heard.every((h) => h.presence.some(([e]) => e.user.id === kai.id && e.state === 'away')),
      5000,
      'the away state at every listener',
    );
    const again = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: kai, body: { away: true } });
    const repeated = ((again.outputs ?? []) as { arguments: PresenceEvent[] }[]).filter(
      (a) => a.arguments[0].user.id === kai.id,
    );
    expect(repeated).toEqual([]);
  });
});

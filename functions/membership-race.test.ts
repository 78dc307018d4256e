/**
 * Membership and SignalR groups under concurrency, with the real pieces: the functions against
 * Azurite, their output delivered by the local host's signalR binding to our SignalR emulator, and
 * the real `@microsoft/signalr` client receiving. A person either is a member or receives nothing.
 */
import { deliverSignalROutput } from '@hubbub/functions-host';
import type { HubConnection } from '@microsoft/signalr';

import { waitFor } from '../packages/signalr-emulator/src/testing/helpers';
import { postRoom } from './create-room';
import { connected } from './domain/connections/connected';
import { disconnected } from './domain/connections/disconnected';
import { isMember } from './domain/rooms/memberships-store';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import type { Principal } from './platform/http/identity';
import { type HttpHandler, withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';
import { runAsHost, useLiveStack } from './testing/live-stack';
import { connectedOutputFor, invocation, request } from './testing/requests';

/** Creates the rooms and watches them throughout (not the shared test users: their budgets are shared). */
const alice: Principal = { id: 'dev-race-watcher', name: 'Watcher' };

const stack = useLiveStack();

/** Runs a function as the host does: the handler, then its signalR output delivered to the service. */
async function run(handler: HttpHandler, method: string, path: string, user: Principal, params = {}) {
  return (await runAsHost(handler, method, path, user, { params })).response;
}

async function connect(user: Principal): Promise<{ connection: HubConnection; received: string[] }> {
  const connection = await stack.connect(user);
  const received: string[] = [];
  connection.on('newMessage', (message: { id: string }) => received.push(message.id));
  return { connection, received };
}

/** Sends a message to the room's group and waits until the watcher (a member throughout) has it. */
async function probe(room: string, id: string, watcher: string[]): Promise<void> {
  const message = { id, room, text: id, sender: alice, sentAt: new Date().toISOString() };
  await deliverSignalROutput(signalROut, [{ target: 'newMessage', arguments: [message], groupName: room }]);
  await waitFor(() => watcher.includes(id), 5000, `the watcher to receive ${id}`);
  // The group send reaches every member's socket in the same pass; a little slack for the others.
  await new Promise((resolve) => setTimeout(resolve, 30));
}

describe('membership and SignalR groups', () => {
  it('concurrent join and leave, 40 rounds: whoever is not a member in storage receives nothing', async () => {
    const watcher = await connect(alice);
    const created = await withErrors(postRoom)(
      request('POST', 'rooms', { user: alice, body: { name: 'racing' } }),
      invocation('rooms'),
    );
    expect(created.status).toBe(201);
    await deliverSignalROutput(signalROut, [{ action: 'add', groupName: 'racing', userId: alice.id }]);

    const outcomes = { member: 0, notMember: 0, leaked: 0, missed: 0 };
    for (let round = 0; round < 40; round++) {
      // A fresh person each round (each has their own join/leave budget), starting in or out.
      const user: Principal = { id: `dev-race${String(round).padStart(12, '0')}`, name: `Racer ${round}` };
      const { received } = await connect(user);
      if (round % 2 === 0) await run(postJoin, 'POST', 'rooms/racing/join', user, { room: 'racing' });
      const [a, b] = round % 4 < 2 ? [postJoin, postLeave] : [postLeave, postJoin];
      const path = (h: HttpHandler) => `rooms/racing/${h === postJoin ? 'join' : 'leave'}`;
      const results = await Promise.all([
        run(a, 'POST', path(a), user, { room: 'racing' }),
        run(b, 'POST', path(b), user, { room: 'racing' }),
      ]);
      for (const result of results) expect([200, 204]).toContain(result.status);

      const member = await isMember('racing', user.id);
      await probe('racing', `probe-${round}`, watcher.received);
      const got = received.includes(`probe-${round}`);
      outcomes[member ? 'member' : 'notMember']++;
      if (!member && got) outcomes.leaked++;
      if (member && !got) outcomes.missed++;
    }
    // The unsafe direction never happens; nor, here, the safe one (a member who hears nothing).
    expect(outcomes.leaked).toBe(0);
    expect(outcomes.missed).toBe(0);
    expect(outcomes.member + outcomes.notMember).toBe(40);
  }, 120_000);

  it('a connected event makes the groups exactly the stored memberships, removing stale ones', async () => {
    const watcher = await connect(alice);
    const dana: Principal = { id: 'dev-da4a000000000000', name: 'Dana' };
    for (const name of ['kept', 'stale']) {
      const response = await withErrors(postRoom)(
        request('POST', 'rooms', { user: alice, body: { name } }),
        invocation('rooms'),
      );
      expect(response.status).toBe(201);
      await deliverSignalROutput(signalROut, [{ action: 'add', groupName: name, userId: alice.id }]);
    }
    const { received } = await connect(dana);
    await run(postJoin, 'POST', 'rooms/kept/join', dana, { room: 'kept' });
    await run(postJoin, 'POST', 'rooms/stale/join', dana, { room: 'stale' });
    // The fault: Dana leaves 'stale', but the `remove` never reaches the service.
    const leaving = invocation('leave');
    const left = await withErrors(postLeave)(
      request('POST', 'rooms/stale/leave', { user: dana, params: { room: 'stale' }, body: {} }),
      leaving,
    );
    expect(left.status).toBe(204);
    expect(await isMember('stale', dana.id)).toBe(false);
    await probe('stale', 'before', watcher.received);
    expect(received).toContain('before');

    // Dana opens a second tab: its connected event puts the groups right.
    const context = invocation('connected');
    await connected({ ConnectionId: 'dana-2', UserId: dana.id }, context);
    expect(connectedOutputFor(context, dana.id)).toEqual([
      { action: 'remove', groupName: 'stale', userId: dana.id },
      { action: 'add', groupName: 'kept', userId: dana.id },
      { target: 'presence', arguments: [{ user: { id: dana.id, name: dana.id }, online: true, state: 'active' }] },
    ]);
    // Meanwhile her first tab keeps receiving 'kept' without a gap: no removeAll.
    const during = deliverSignalROutput(signalROut, context.extraOutputs.get(signalROut));
    await probe('kept', 'kept-during', watcher.received);
    await during;
    await probe('stale', 'after', watcher.received);
    await probe('kept', 'kept-after', watcher.received);
    expect(received).not.toContain('after');
    expect(received).toContain('kept-during');
    expect(received).toContain('kept-after');
    // The second tab closes, so no connection row of Dana's is left to go stale.
    await disconnected({ ConnectionId: 'dana-2', UserId: dana.id }, invocation('disconnected'));
  }, 60_000);
});

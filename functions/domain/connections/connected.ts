/**
 * connected (SignalR upstream event, delivered by `signalrEvents`): records the connection,
 * announces the person online if they had no live connection, and makes their SignalR groups
 * exactly their stored memberships: a `remove` for every room they have left (tombstones), then an
 * `add` for every room they are in, in that order in one output. So a group whose `remove` was
 * lost or overtaken by a racing join never outlives the membership, a service that forgot its
 * groups (our emulator after a restart) gets them back, and — unlike `removeAll` then `add` — the
 * person's other open connections never spend a moment outside the rooms they are in. Tombstones
 * older than a month are deleted here.
 */
import type { InvocationContext } from '@azure/functions';

import { check, UserIdSchema } from '../../../contract';
import { type SignalRGroupAction, type SignalRMessageAction, signalROut } from '../../platform/signalr/signalr';
import { type SignalRInvocation } from '../../platform/signalr/signalr';
import { addConnection, sweepPresence } from '../presence/presence-store';
import { forgetTombstones, membershipsOf } from '../rooms/memberships-store';
import { presenceChange } from './presence-event';

export async function connected(invocation: SignalRInvocation, context: InvocationContext): Promise<void> {
  const userId = invocation.UserId;
  if (!userId || !check(UserIdSchema, userId).ok) return;
  const cameOnline = await addConnection(userId, invocation.ConnectionId);
  // Read as late as possible, after the presence write, so the groups follow the newest memberships.
  const { rooms, left, stale } = await membershipsOf(userId);
  const actions: (SignalRGroupAction | SignalRMessageAction)[] = [
    ...left.map((room): SignalRGroupAction => ({ action: 'remove', groupName: room, userId })),
    ...rooms.map((room): SignalRGroupAction => ({ action: 'add', groupName: room, userId })),
  ];
  const change = cameOnline ? await presenceChange(userId, { cameOnline }) : undefined;
  if (change) actions.push(change);
  for (const gone of await sweepPresence()) {
    const offline = await presenceChange(gone);
    if (offline) actions.push(offline);
  }
  // This connect still sends their `remove`; older connects have sent it for a month.
  await forgetTombstones(userId, stale);
  context.extraOutputs.set(signalROut, actions);
}

/**
 * connected (SignalR upstream event, delivered by `signalrEvents`): records the connection,
 * announces the person online if they had no live connection, and makes their SignalR groups
 * exactly their stored memberships — `removeAll` first, then an `add` for each stored room, in
 * that order in one output — so a group the person left while a join or leave raced, or while the
 * service forgot its groups (our emulator after a restart), never outlives the membership.
 */
import type { InvocationContext } from '@azure/functions';

import { check, UserIdSchema } from '../contract';
import { presenceMessage, type SignalRInvocation } from './lib/presence';
import { roomsOf } from './lib/rooms-store';
import { type SignalRGroupAction, type SignalRMessageAction, signalROut } from './lib/signalr';
import { addConnection, sweepPresence } from './lib/users-store';

export async function connected(invocation: SignalRInvocation, context: InvocationContext): Promise<void> {
  const userId = invocation.UserId;
  if (!userId || !check(UserIdSchema, userId).ok) return;
  const cameOnline = await addConnection(userId, invocation.ConnectionId);
  // Read as late as possible, after the presence write, so the groups follow the newest memberships.
  const rooms = await roomsOf(userId);
  const actions: (SignalRGroupAction | SignalRMessageAction)[] = [
    { action: 'removeAll', userId },
    ...rooms.map((room): SignalRGroupAction => ({ action: 'add', groupName: room, userId })),
  ];
  if (cameOnline) actions.push(await presenceMessage(userId, true));
  for (const gone of await sweepPresence()) actions.push(await presenceMessage(gone, false));
  context.extraOutputs.set(signalROut, actions);
}

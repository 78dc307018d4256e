/**
 * connected (SignalR upstream event, delivered by `signalrEvents`): records the connection,
 * announces the person online if it is their first, and applies their room groups again, so room
 * delivery survives a SignalR Service that forgot its groups (our emulator after a restart).
 */
import type { InvocationContext } from '@azure/functions';

import { presenceMessage, type SignalRInvocation } from './lib/presence';
import { roomsOf } from './lib/rooms-store';
import { type SignalRGroupAction, type SignalRMessageAction, signalROut } from './lib/signalr';
import { addConnection } from './lib/users-store';

export async function connected(invocation: SignalRInvocation, context: InvocationContext): Promise<void> {
  const userId = invocation.UserId;
  if (!userId) return;
  const cameOnline = await addConnection(userId, invocation.ConnectionId);
  const actions: (SignalRGroupAction | SignalRMessageAction)[] = (await roomsOf(userId)).map((room) => ({
    action: 'add',
    groupName: room,
    userId,
  }));
  if (cameOnline) actions.push(await presenceMessage(userId, true));
  context.extraOutputs.set(signalROut, actions);
}

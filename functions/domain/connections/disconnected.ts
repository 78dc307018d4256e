/**
 * disconnected (SignalR upstream event, delivered by `signalrEvents`): forgets the connection; the
 * last live one gone announces the person offline.
 */
import type { InvocationContext } from '@azure/functions';

import { check, UserIdSchema } from '../../../contract';
import { signalROut } from '../../platform/signalr/signalr';
import { type SignalRInvocation } from '../../platform/signalr/signalr';
import { removeConnection } from '../presence/presence-store';
import { presenceChange } from './presence-event';

export async function disconnected(invocation: SignalRInvocation, context: InvocationContext): Promise<void> {
  const userId = invocation.UserId;
  if (!userId || !check(UserIdSchema, userId).ok) return;
  if (await removeConnection(userId, invocation.ConnectionId)) {
    const change = await presenceChange(userId);
    if (change) context.extraOutputs.set(signalROut, [change]);
  }
}

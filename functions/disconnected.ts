/** disconnected (SignalR upstream event): forgets the connection; the last one gone announces the person offline. */
import { app, type InvocationContext } from '@azure/functions';
import { connectionsTrigger, presenceMessage, type SignalRInvocation } from './lib/presence';
import { signalROut } from './lib/signalr';
import { removeConnection } from './lib/users-store';

export async function disconnected(invocation: SignalRInvocation, context: InvocationContext): Promise<void> {
  const userId = invocation.UserId;
  if (!userId) return;
  if (await removeConnection(userId, invocation.ConnectionId)) {
    context.extraOutputs.set(signalROut, [await presenceMessage(userId, false)]);
  }
}

app.generic('disconnected', {
  trigger: connectionsTrigger('disconnected'),
  extraOutputs: [signalROut],
  handler: (input, context) => disconnected(input as SignalRInvocation, context),
});

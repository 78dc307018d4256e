/**
 * presenceHeartbeat: `POST /api/presence/heartbeat` — a connected client is still there (the SPA
 * sends one every PRESENCE_HEARTBEAT_MS). Refreshes the caller's connection rows, announces them
 * online if they had none live, and runs the presence sweep (at most one per 20 s app-wide) that
 * announces offline whoever stopped being seen: no timer trigger is needed, and a SignalR Service
 * restart that lost every disconnect converges within PRESENCE_TTL_MS + 20 s.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { HEARTBEAT_RATE_LIMIT, Routes } from '../contract';
import { presenceMessage } from './domain/connections/presence-event';
import { heartbeat, sweepPresence } from './domain/presence/presence-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { requireJson } from './platform/http/requests';
import { withErrors } from './platform/http/with-errors';
import { type SignalRMessageAction, signalROut } from './platform/signalr/signalr';

export async function postHeartbeat(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  await requireToken('heartbeat', user.id, HEARTBEAT_RATE_LIMIT);
  const actions: SignalRMessageAction[] = [];
  if (await heartbeat(user.id)) actions.push(await presenceMessage(user.id, true));
  for (const gone of await sweepPresence()) actions.push(await presenceMessage(gone, false));
  if (actions.length > 0) context.extraOutputs.set(signalROut, actions);
  return { status: 204 };
}

app.http('presenceHeartbeat', {
  route: Routes.presenceHeartbeat,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postHeartbeat),
});

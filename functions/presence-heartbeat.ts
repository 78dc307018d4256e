/**
 * presenceHeartbeat: `POST /api/presence/heartbeat` `{ away? }` — a connected client is still there
 * (the SPA sends one every PRESENCE_HEARTBEAT_MS), and whether the person is away (no input in any
 * tab for AWAY_AFTER_MS, or set by hand). Refreshes the caller's connection rows, settles their
 * presence state (announced when it changed: came online, went away or came back, do not disturb
 * ended), and runs the presence sweep (at most one per 10 s app-wide) that announces offline whoever
 * stopped being seen: no timer trigger is needed, and a SignalR Service restart that lost every
 * disconnect converges within PRESENCE_TTL_MS + 10 s.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { HEARTBEAT_RATE_LIMIT, HeartbeatRequestSchema, Routes } from '../contract';
import { presenceChange } from './domain/connections/presence-event';
import { heartbeat, sweepPresence } from './domain/presence/presence-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readOptionalJsonObject, requireJson } from './platform/http/requests';
import { withErrors } from './platform/http/with-errors';
import { type SignalRMessageAction, signalROut } from './platform/signalr/signalr';

export async function postHeartbeat(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  // Older clients send no body: not away.
  const { away } = checked(HeartbeatRequestSchema, await readOptionalJsonObject(request));
  await requireToken('heartbeat', user.id, HEARTBEAT_RATE_LIMIT);
  const cameOnline = await heartbeat(user.id);
  const actions: SignalRMessageAction[] = [];
  const change = await presenceChange(user.id, { away: away ?? false, cameOnline });
  if (change) actions.push(change);
  for (const gone of await sweepPresence()) {
    const offline = await presenceChange(gone);
    if (offline) actions.push(offline);
  }
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

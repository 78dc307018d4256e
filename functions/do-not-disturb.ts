/**
 * doNotDisturb: `PUT /api/me/do-not-disturb` `{ until }` turns do not disturb on until then (at
 * most MAX_DO_NOT_DISTURB_MS ahead), `DELETE` turns it off. While it is on nothing is pushed to the
 * person and their tabs do not notify (docs/push.md), and others see their presence as `dnd`:
 * turning it on or off sends everyone one `presence` event when that changed their state (someone
 * offline stays `offline`; docs/people.md, "Presence").
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import {
  DoNotDisturbRequestSchema,
  MAX_DO_NOT_DISTURB_MS,
  NOTIFICATION_SETTINGS_RATE_LIMIT,
  Routes,
} from '../contract';
import { presenceChange } from './domain/connections/presence-event';
import { clearDoNotDisturb, setDoNotDisturb } from './domain/presence/do-not-disturb';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function changeDoNotDisturb(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  if (request.method === 'DELETE') {
    await requireToken('notification-settings', user.id, NOTIFICATION_SETTINGS_RATE_LIMIT);
    await clearDoNotDisturb(user.id);
    await announcePresence(user.id, context);
    return { status: 204 };
  }
  requireJson(request);
  const { until } = checked(DoNotDisturbRequestSchema, await readJsonObject(request));
  const ends = Date.parse(until);
  const now = Date.now();
  if (ends <= now) return badRequest('until must be in the future');
  if (ends - now > MAX_DO_NOT_DISTURB_MS) return badRequest('do not disturb lasts at most 7 days');
  await requireToken('notification-settings', user.id, NOTIFICATION_SETTINGS_RATE_LIMIT);
  const stored = new Date(ends).toISOString();
  await setDoNotDisturb(user.id, stored);
  await announcePresence(user.id, context);
  return json(200, { until: stored });
}

/** The person's presence after the change (`dnd`, or back to `active`/`away`), to everyone if it changed. */
async function announcePresence(userId: string, context: InvocationContext): Promise<void> {
  const change = await presenceChange(userId);
  if (change) context.extraOutputs.set(signalROut, [change]);
}

app.http('doNotDisturb', {
  route: Routes.doNotDisturb,
  methods: ['PUT', 'DELETE'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(changeDoNotDisturb),
});

/**
 * doNotDisturb: `PUT /api/me/do-not-disturb` `{ until }` turns do not disturb on until then (at
 * most MAX_DO_NOT_DISTURB_MS ahead), `DELETE` turns it off. While it is on nothing is pushed to the
 * person and their tabs do not notify (docs/push.md).
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import {
  DoNotDisturbRequestSchema,
  MAX_DO_NOT_DISTURB_MS,
  NOTIFICATION_SETTINGS_RATE_LIMIT,
  Routes,
} from '../contract';
import { clearDoNotDisturb, setDoNotDisturb } from './domain/people/do-not-disturb';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function changeDoNotDisturb(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  if (request.method === 'DELETE') {
    await requireToken('notification-settings', user.id, NOTIFICATION_SETTINGS_RATE_LIMIT);
    await clearDoNotDisturb(user.id);
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
  return json(200, { until: stored });
}

app.http('doNotDisturb', {
  route: Routes.doNotDisturb,
  methods: ['PUT', 'DELETE'],
  authLevel: 'anonymous',
  handler: withErrors(changeDoNotDisturb),
});

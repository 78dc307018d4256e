/**
 * pushSubscriptions: the caller's push devices (docs/push.md). `GET` lists them (`PushDeviceList`);
 * `POST` stores a browser's `PushSubscription` JSON (its endpoint on an allowed push service:
 * domain/push/endpoints.ts; at most MAX_PUSH_SUBSCRIPTIONS, 409 past it; the same endpoint again
 * updates it); `DELETE ?endpoint=` removes one (204 either way).
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import {
  LIST_READ_RATE_LIMIT,
  MAX_PUSH_SUBSCRIPTIONS,
  PUSH_SUBSCRIPTION_RATE_LIMIT,
  type PushDeviceList,
  PushSubscriptionRequestSchema,
  Routes,
} from '../contract';
import { endpointRefusal } from './domain/push/endpoints';
import {
  deleteSubscription,
  endpointKey,
  saveSubscription,
  subscriptionsOf,
  toDevice,
} from './domain/push/subscriptions-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, conflict, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function pushSubscriptions(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  if (request.method === 'GET') {
    await requireToken('list-push-devices', user.id, LIST_READ_RATE_LIMIT);
    const body: PushDeviceList = { devices: (await subscriptionsOf(user.id)).map(toDevice) };
    return json(200, body);
  }
  if (request.method === 'DELETE') {
    const endpoint = request.query.get('endpoint');
    if (!endpoint) return badRequest('endpoint is required: DELETE ?endpoint=<the subscription endpoint>');
    await requireToken('push-subscriptions', user.id, PUSH_SUBSCRIPTION_RATE_LIMIT);
    await deleteSubscription(user.id, endpointKey(endpoint));
    return { status: 204 };
  }
  requireJson(request);
  const body = checked(PushSubscriptionRequestSchema, await readJsonObject(request));
  const refusal = endpointRefusal(body.endpoint);
  if (refusal) return badRequest(refusal);
  await requireToken('push-subscriptions', user.id, PUSH_SUBSCRIPTION_RATE_LIMIT);
  const result = await saveSubscription(user.id, {
    endpoint: body.endpoint,
    keys: body.keys,
    device: body.device ?? deviceOf(request.headers.get('user-agent') ?? ''),
    expirationTime: body.expirationTime,
  });
  if (result === 'full') {
    return conflict(`At most ${MAX_PUSH_SUBSCRIPTIONS} devices receive push; remove one first`);
  }
  return json(201, toDevice(result.saved));
}

/** A label for a device that gave none: its browser and system, from the User-Agent. */
function deviceOf(userAgent: string): string {
  const browser = (
    [
      ['Edge', /Edg\//],
      ['Firefox', /Firefox\//],
      ['Chrome', /Chrome\//],
      ['Safari', /Safari\//],
    ] as const
  ).find(([, pattern]) => pattern.test(userAgent))?.[0];
  const system = (
    [
      ['Android', /Android/],
      ['iOS', /iPhone|iPad/],
      ['Windows', /Windows/],
      ['macOS', /Mac OS X/],
      ['Linux', /Linux/],
    ] as const
  ).find(([, pattern]) => pattern.test(userAgent))?.[0];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'A browser';
}

app.http('pushSubscriptions', {
  route: Routes.pushSubscriptions,
  methods: ['GET', 'POST', 'DELETE'],
  authLevel: 'anonymous',
  handler: withErrors(pushSubscriptions),
});

/**
 * pushVapidKey: `GET /api/push/vapid-public-key` → `{ key }`, the application server key a browser
 * subscribes with (base64url, uncompressed P-256). 503 when this deployment has no VAPID keys.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { Routes } from '../contract';
import { PushNotConfiguredError, vapidDetails } from './domain/push/vapid';
import { requireUser } from './platform/http/identity';
import { json, serviceUnavailable } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getVapidKey(request: HttpRequest): Promise<HttpResponseInit> {
  requireUser(request);
  try {
    return json(200, { key: vapidDetails().publicKey }, { 'cache-control': 'private, max-age=3600' });
  } catch (err) {
    if (err instanceof PushNotConfiguredError) return serviceUnavailable('Push is not configured on this server', 3600);
    throw err;
  }
}

app.http('pushVapidKey', {
  route: Routes.pushVapidKey,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getVapidKey),
});

/**
 * One push to one subscription (RFC 8030), through the `web-push` library: it encrypts the payload
 * (RFC 8291, `aes128gcm`) and signs the request with VAPID (RFC 8292); we post what it builds with
 * `fetch` (the library's own sender speaks only https, and a local receiver in tests is http), never
 * following a redirect, and only to an endpoint on the allow-list (endpoints.ts).
 */
import webpush from 'web-push';

import { PUSH_TTL_SECONDS, type PushPayload } from '../../../contract';
import { endpointRefusal } from './endpoints';
import type { StoredSubscription } from './subscriptions-store';
import type { VapidDetails } from './vapid';

/** How long a push service may take to answer. */
const PUSH_TIMEOUT_MS = 10_000;

export type PushOutcome =
  | { readonly kind: 'delivered' }
  /** The subscription is gone (404, 410) or no longer allowed: delete it. */
  | { readonly kind: 'gone'; readonly status?: number }
  /** Try again later (429, 5xx, no answer); `retryAfterSeconds` when the service said. */
  | { readonly kind: 'retry'; readonly status?: number; readonly retryAfterSeconds?: number }
  /** Refused for good (another 4xx: a payload or key it will not take); logged, not retried. */
  | { readonly kind: 'failed'; readonly status: number };

export async function sendPush(
  subscription: StoredSubscription,
  payload: PushPayload,
  vapid: VapidDetails,
): Promise<PushOutcome> {
  if (endpointRefusal(subscription.endpoint)) return { kind: 'gone' };
  const request = webpush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth } },
    JSON.stringify(payload),
    {
      vapidDetails: vapid,
      TTL: PUSH_TTL_SECONDS,
      // A mention or a direct message may wake a device; the rest waits for a good moment.
      urgency: payload.reason === 'mention' || payload.reason === 'dm' ? 'high' : 'normal',
      contentEncoding: 'aes128gcm',
    },
  );
  let response: Response;
  try {
    response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body ? new Uint8Array(request.body) : null,
      redirect: 'manual',
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    });
    await response.body?.cancel();
  } catch {
    return { kind: 'retry' };
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 429 || status >= 500) {
    const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
    return retryAfter === undefined
      ? { kind: 'retry', status }
      : { kind: 'retry', status, retryAfterSeconds: retryAfter };
  }
  return { kind: 'failed', status };
}

/** `Retry-After` as seconds from now: a number of seconds or an HTTP date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

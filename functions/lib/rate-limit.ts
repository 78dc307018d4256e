/**
 * Per-user send limit (20 messages in any 10 seconds), kept in Table Storage so that every
 * Functions instance enforces the same window. Optimistic concurrency (ETags) keeps two
 * concurrent sends from both slipping under the limit.
 */
import { SEND_RATE_LIMIT } from '../../contract';
import { isConflict, isNotFound, isPreconditionFailed, storage, table } from './tables';

export const RATE_LIMIT = SEND_RATE_LIMIT;

type RateEntity = { partitionKey: string; rowKey: string; times: string };

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export function takeSendToken(userId: string, now = Date.now()): Promise<RateDecision> {
  return takeToken('send', RATE_LIMIT, userId, now);
}

/** One token of a named per-user bucket (`send`, `upload`, …): at most `limit.max` in any `limit.windowMs`. */
export async function takeToken(
  bucket: string,
  limit: { readonly max: number; readonly windowMs: number },
  userId: string,
  now = Date.now(),
): Promise<RateDecision> {
  const client = await table('ratelimits');
  for (let attempt = 0; attempt < 5; attempt++) {
    let etag: string | undefined;
    let times: number[] = [];
    try {
      const entity = await storage(() => client.getEntity<RateEntity>(bucket, userId));
      etag = entity.etag;
      times = (JSON.parse(entity.times) as number[]).filter((t) => now - t < limit.windowMs);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (times.length >= limit.max) {
      const oldest = Math.min(...times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000)) };
    }
    const entity: RateEntity = { partitionKey: bucket, rowKey: userId, times: JSON.stringify([...times, now]) };
    try {
      if (etag) await storage(() => client.updateEntity(entity, 'Replace', { etag }));
      else await storage(() => client.createEntity(entity));
      return { allowed: true };
    } catch (err) {
      if (!isPreconditionFailed(err) && !isConflict(err)) throw err;
      // Another send from the same user won the race: read again and retry.
    }
  }
  return { allowed: false, retryAfterSeconds: 1 };
}

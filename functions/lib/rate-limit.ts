/**
 * Per-user send limit (20 messages in any 10 seconds), kept in Table Storage so that every
 * Functions instance enforces the same window. Optimistic concurrency (ETags) keeps two
 * concurrent sends from both slipping under the limit.
 */
import { SEND_RATE_LIMIT } from '../../contract';
import { isConflict, isNotFound, isPreconditionFailed, storage, table } from './tables';

export const RATE_LIMIT = SEND_RATE_LIMIT;

type RateEntity = { partitionKey: 'send'; rowKey: string; times: string };

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export async function takeSendToken(userId: string, now = Date.now()): Promise<RateDecision> {
  const client = await table('ratelimits');
  for (let attempt = 0; attempt < 5; attempt++) {
    let etag: string | undefined;
    let times: number[] = [];
    try {
      const entity = await storage(() => client.getEntity<RateEntity>('send', userId));
      etag = entity.etag;
      times = (JSON.parse(entity.times) as number[]).filter((t) => now - t < RATE_LIMIT.windowMs);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (times.length >= RATE_LIMIT.max) {
      const oldest = Math.min(...times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + RATE_LIMIT.windowMs - now) / 1000)) };
    }
    const entity: RateEntity = { partitionKey: 'send', rowKey: userId, times: JSON.stringify([...times, now]) };
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

/**
 * Per-user limit of read-position and mute changes ({@link READ_STATE_RATE_LIMIT}), a bucket of
 * its own so that opening rooms never uses up a person's sends. Same scheme as rate-limit.ts: a
 * window of times in one row, updated under its ETag.
 */
import { READ_STATE_RATE_LIMIT } from '../../contract';
import type { RateDecision } from './rate-limit';
import { isConflict, isNotFound, isPreconditionFailed, storage, table } from './tables';

type RateEntity = { partitionKey: 'readstate'; rowKey: string; times: string };

export async function takeReadStateToken(userId: string, now = Date.now()): Promise<RateDecision> {
  const { max, windowMs } = READ_STATE_RATE_LIMIT;
  const client = await table('ratelimits');
  for (let attempt = 0; attempt < 5; attempt++) {
    let etag: string | undefined;
    let times: number[] = [];
    try {
      const entity = await storage(() => client.getEntity<RateEntity>('readstate', userId));
      etag = entity.etag;
      times = (JSON.parse(entity.times) as number[]).filter((t) => now - t < windowMs);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (times.length >= max) {
      const oldest = Math.min(...times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    const entity: RateEntity = { partitionKey: 'readstate', rowKey: userId, times: JSON.stringify([...times, now]) };
    try {
      if (etag) await storage(() => client.updateEntity(entity, 'Replace', { etag }));
      else await storage(() => client.createEntity(entity));
      return { allowed: true };
    } catch (err) {
      if (!isPreconditionFailed(err) && !isConflict(err)) throw err;
    }
  }
  return { allowed: false, retryAfterSeconds: 1 };
}

/**
 * Per-user limits (a sliding window of `max` requests in any `windowMs`), kept in Table Storage so
 * that every Functions instance enforces the same window. Each user's buckets are rows of that
 * user's own partition, so no limit check of one person contends with another's (Table Storage's
 * per-partition target is about 2,000 entities/s). Optimistic concurrency (ETags) keeps two
 * concurrent requests from both slipping under the limit.
 */
import type { HttpResponseInit } from '@azure/functions';

import { LIST_READ_RATE_LIMIT, type RateLimit, SEND_RATE_LIMIT } from '../../../contract';
import { isConflict, isNotFound, isPreconditionFailed, storage, table } from '../storage/tables';
import { HttpError, tooManyRequests } from './responses';

export const RATE_LIMIT = SEND_RATE_LIMIT;

type RateEntity = { partitionKey: string; rowKey: string; times: string };

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** One request commits per round of a race, so this many rounds serve that many concurrent requests of one person. */
const MAX_ATTEMPTS = 16;

/** The partition of one user's buckets (the prefix keeps them apart from any other row kind). */
const partitionOf = (userId: string) => `u_${userId}`;

/**
 * Takes one request from `userId`'s `bucket` (a name of letters, digits, "-", "_" and ".", e.g.
 * `typing.hikers`): allowed, or refused with how many seconds until the oldest request leaves the window.
 *
 * `gate` is a check the caller runs at the same time (the membership check of a send): the bucket is
 * read meanwhile, but the token is written only once the gate passed, so a request the gate refuses
 * spends no token (takeToken then fails with the gate's error). A refusal of the limit itself does
 * not wait for the gate; the caller decides which answer comes first.
 */
export async function takeToken(
  bucket: string,
  userId: string,
  limit: RateLimit,
  now = Date.now(),
  gate?: Promise<unknown>,
  /** Called as the token's write is sent (after the gate passed): work meant to run beside it starts then. */
  writing?: () => void,
): Promise<RateDecision> {
  const client = await table('ratelimits');
  const partitionKey = partitionOf(userId);
  const key = `${partitionKey}/${bucket}`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let etag: string | undefined;
    let times: number[] = [];
    // The bucket as this instance last wrote it, if it did: its ETag checks it on the write (a 412
    // reads it again). Other instances only ever add requests to it, so a refusal it gives is right too.
    const known = attempt === 0 ? buckets.get(key) : undefined;
    if (known) {
      etag = known.etag;
      times = known.times.filter((t) => now - t < limit.windowMs);
    } else {
      try {
        const entity = await storage(() => client.getEntity<RateEntity>(partitionKey, bucket));
        etag = entity.etag;
        times = (JSON.parse(entity.times) as number[]).filter((t) => now - t < limit.windowMs);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (times.length >= limit.max) {
      const oldest = Math.min(...times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000)) };
    }
    const taken = [...times, now];
    const entity: RateEntity = { partitionKey, rowKey: bucket, times: JSON.stringify(taken) };
    if (gate) await gate;
    writing?.();
    try {
      const written = etag
        ? await storage(() => client.updateEntity(entity, 'Replace', { etag }))
        : await storage(() => client.createEntity(entity));
      remember(key, taken, written.etag);
      return { allowed: true };
    } catch (err) {
      if (!isPreconditionFailed(err) && !isConflict(err)) throw err;
      // Another request from the same user won the race: read again and retry, a little later.
      buckets.delete(key);
    }
    if (known) continue; // only this instance's memory was behind: read it at once
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
  }
  return { allowed: false, retryAfterSeconds: 1 };
}

/** Buckets this instance last wrote (the most recently written few thousand), by partition and row. */
const buckets = new Map<string, { readonly times: readonly number[]; readonly etag: string }>();
const KNOWN_BUCKETS = 5_000;

function remember(key: string, times: readonly number[], etag: string | undefined): void {
  buckets.delete(key); // re-inserted: the Map's order is the order of use
  if (etag === undefined) return;
  buckets.set(key, { times, etag });
  if (buckets.size > KNOWN_BUCKETS) buckets.delete(buckets.keys().next().value as string);
}

/** The message-send limit (20 in any 10 s): {@link takeToken} on the `send` bucket. */
export function takeSendToken(
  userId: string,
  now = Date.now(),
  gate?: Promise<unknown>,
  writing?: () => void,
): Promise<RateDecision> {
  return takeToken('send', userId, RATE_LIMIT, now, gate, writing);
}

/** The lists a person reads (people, rooms, a room's members, read state): a bucket each, {@link LIST_READ_RATE_LIMIT}. */
export type ListRoute = 'users' | 'rooms' | 'members' | 'read-state';

/** The request step of a list read: a token of the route's bucket, or the 429 that refuses it. */
export function requireListToken(route: ListRoute, userId: string): Promise<void> {
  return requireToken(`list-${route}`, userId, LIST_READ_RATE_LIMIT);
}

/** The request step: takes a token or throws the 429 (with `Retry-After`) that refuses the request. */
export async function requireToken(bucket: string, userId: string, limit: RateLimit): Promise<void> {
  const decision = await takeToken(bucket, userId, limit);
  if (!decision.allowed) throw new HttpError(tooManyRequests(decision.retryAfterSeconds) satisfies HttpResponseInit);
}

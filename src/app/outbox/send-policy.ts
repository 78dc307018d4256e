import { asyncScheduler, type SchedulerLike } from 'rxjs';

import type { ApiError } from '../core/api-client';

/** How a send retries when the server cannot be reached or fails. */
export interface SendPolicy {
  /** Waits before the 1st, 2nd, … retry; the last one repeats for ever. */
  readonly retryDelays: readonly number[];
  /** After this many failed attempts the message shows as failed (it keeps retrying). */
  readonly failAfter: number;
  /** An attempt with no answer after this long counts as failed. */
  readonly timeoutMs: number;
  readonly scheduler: SchedulerLike;
}

export const defaultSendPolicy: SendPolicy = {
  retryDelays: [1_000, 2_000, 4_000, 8_000, 15_000],
  failAfter: 4,
  timeoutMs: 10_000,
  scheduler: asyncScheduler,
};

/** Waits between attempts to announce a recovered send; the last repeats until the server answers. */
export const ANNOUNCE_DELAYS: readonly number[] = [1_000, 2_000, 3_000, 5_000];

/** What the composer says while messages wait for a server that cannot be reached. */
export const UNREACHABLE_TEXT = "Can't reach the server — your messages will go out when it's back";

/** The words for a failed send, shown where the user acted. */
export function sendErrorText(error: ApiError): string {
  if (error.status === 429) {
    return error.retryAfterSeconds
      ? `You're sending too fast — try again in ${error.retryAfterSeconds} s`
      : "You're sending too fast — try again in a moment";
  }
  if (error.status >= 500) return `${error.message} (we'll keep trying)`;
  if (error.status === 0) return UNREACHABLE_TEXT;
  return error.message;
}

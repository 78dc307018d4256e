import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { ApiError } from '../core/api-client';

/** How hard a send tries before the message is marked failed. */
export interface SendPolicy {
  /** Waits between attempts; their count is the number of retries. */
  readonly retryDelays: readonly number[];
  /** An attempt with no answer after this long counts as failed. */
  readonly timeoutMs: number;
  readonly scheduler: SchedulerLike;
}

export const defaultSendPolicy: SendPolicy = {
  retryDelays: [1_000, 2_000, 4_000, 8_000],
  timeoutMs: 10_000,
  scheduler: asyncScheduler,
};

/** The words for a failed send, shown where the user acted. */
export function sendErrorText(error: ApiError): string {
  if (error.status === 429) {
    return error.retryAfterSeconds
      ? `You're sending too fast — try again in ${error.retryAfterSeconds} s`
      : "You're sending too fast — try again in a moment";
  }
  if (error.transient) return 'Not sent: the server cannot be reached';
  return error.message;
}

/**
 * The push queue (docs/push.md "Delivery"): a send enqueues ONE job for its message once its answer
 * is on its way ({@link pushSoon}); the queue-triggered `deliverPushes` works out whom to push to,
 * in bounded batches (more jobs on the same queue), and retries a push service's 429 and 5xx
 * answers with a delayed job per subscription.
 */
import * as v from 'valibot';

import { type PushPayload, PushPayloadSchema, UserRefSchema } from '../../../contract';
import { queueJson, sendJson } from '../../platform/storage/queues';

export const PUSH_QUEUE = 'hubbub-push';

let queueName = PUSH_QUEUE;
/** Tests point the app at a queue of their own (the run's other suites send messages too). */
export function usePushQueue(name: string): void {
  queueName = name;
}
export const pushQueueName = () => queueName;

const Reason = v.picklist(['mention', 'room', 'dm', 'all']);
export type PushReason = v.InferOutput<typeof Reason>;

/** What every recipient of a message is pushed, but its room's title (a DM is titled by the others) and the reason. */
const BaseSchema = v.object({
  payload: v.omit(PushPayloadSchema.pipe[0], ['reason']),
  /** A direct or group conversation's people: each recipient's title names the others. */
  dm: v.optional(v.array(UserRefSchema)),
});
export type PushBase = v.InferOutput<typeof BaseSchema>;

export const PushJobSchema = v.variant('kind', [
  /** A stored message: work out who may be pushed (a send enqueues this). */
  v.object({ kind: v.literal('message'), room: v.string(), id: v.string() }),
  /** The next page of a room's members for an `@room` (`mentions`: whom it names besides). */
  v.object({
    kind: v.literal('members'),
    ...BaseSchema.entries,
    mentions: v.array(v.string()),
    cursor: v.string(),
  }),
  /** At most PUSH_BATCH people to check and push to. */
  v.object({
    kind: v.literal('recipients'),
    ...BaseSchema.entries,
    recipients: v.array(v.object({ id: v.string(), reason: Reason })),
  }),
  /** One push again, after a push service's 429 or 5xx (`attempt`: how many were made). */
  v.object({
    kind: v.literal('retry'),
    userId: v.string(),
    key: v.string(),
    payload: PushPayloadSchema,
    attempt: v.number(),
  }),
]);
export type PushJob = v.InferOutput<typeof PushJobSchema>;

export function parseJob(entry: unknown): PushJob | undefined {
  const parsed = v.safeParse(PushJobSchema, queueJson(entry));
  return parsed.success ? parsed.output : undefined;
}

export function enqueue(job: PushJob, delaySeconds = 0): Promise<void> {
  return sendJson(queueName, job, delaySeconds);
}

/** Enqueues that failed since this instance started (logged each; the send still answered). */
let failedEnqueues = 0;
export const failedPushEnqueues = () => failedEnqueues;

const pending = new Set<Promise<void>>();

/**
 * Enqueues the message's push job without holding up the send's answer. A failure is logged and
 * counted, never thrown: the message is stored and delivered live; only its push is lost.
 */
export function pushSoon(room: string, id: string, error: (line: string) => void): void {
  const work = enqueue({ kind: 'message', room, id }).catch((err: unknown) => {
    failedEnqueues++;
    error(`push: the push job of ${id} in ${room} was not enqueued (${failedEnqueues} so far): ${String(err)}`);
  });
  pending.add(work);
  void work.finally(() => pending.delete(work));
}

/** Resolves once no enqueue runs in this instance (tests; a host shutting down). */
export async function pushQueueIdle(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

export type { PushPayload };

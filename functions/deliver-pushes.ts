/**
 * deliverPushes (queue `hubbub-push`): runs one push job (domain/push/deliveries.ts): a stored
 * message's fan-out, a batch of recipients, a page of an `@room`'s members, or a retry. A job that
 * throws (storage down) is tried again by the queue, and moved to `hubbub-push-poison` after the
 * host's maxDequeueCount; a malformed one is logged and dropped.
 */
import { app, type InvocationContext } from '@azure/functions';

import { runPushJob } from './domain/push/deliveries';
import { parseJob, PUSH_QUEUE } from './domain/push/push-queue';
import { STORAGE_SETTING } from './platform/storage/tables';

export async function deliverPushes(entry: unknown, context: InvocationContext): Promise<void> {
  const job = parseJob(entry);
  if (!job) {
    context.error('deliverPushes: a message that is no push job was dropped');
    return;
  }
  const result = await runPushJob(job, {
    log: (line) => context.log(line),
    warn: (line) => context.warn(line),
    error: (line) => context.error(line),
  });
  if (result.failed > 0)
    context.warn(`deliverPushes: ${result.failed} pushes of a ${job.kind} job failed (logged above)`);
}

app.storageQueue('deliverPushes', {
  queueName: PUSH_QUEUE,
  connection: STORAGE_SETTING,
  handler: deliverPushes,
});

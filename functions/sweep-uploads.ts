/**
 * sweepUploads (timer, hourly): deletes every room's uploads that no message took within
 * UNSENT_UPLOAD_TTL_MS of their write URL expiring, and those stored otherwise than declared whose
 * uploader never reported the PUT (domain/attachments/attachments.ts). A new upload sweeps its own
 * room too; this catches the rooms nobody uploads to again. A row that fails is logged and counted,
 * and the sweep goes on.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';

import { sweepAbandonedUploads } from './domain/attachments/attachments';

export async function sweepUploads(_timer: Timer, context: InvocationContext): Promise<void> {
  const { deleted, failed } = await sweepAbandonedUploads(undefined, Date.now(), (line) => context.warn(line));
  if (deleted > 0) context.log(`sweepUploads: ${deleted} abandoned or wrongly stored uploads deleted`);
  if (failed > 0) context.warn(`sweepUploads: ${failed} uploads could not be swept (logged above; retried next run)`);
}

app.timer('sweepUploads', {
  // Minute 17 of every hour (NCRONTAB with seconds), off the hour, when fewer timers start: a file
  // stored otherwise than declared by someone who never reports the PUT lives at most about an hour.
  schedule: '0 17 * * * *',
  handler: sweepUploads,
});

/**
 * sweepUploads (timer, daily): deletes every room's uploads that no message took within
 * UNSENT_UPLOAD_TTL_MS of their write URL expiring (domain/attachments/attachments.ts). A new
 * upload sweeps its own room too; this catches the rooms nobody uploads to again.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';

import { sweepAbandonedUploads } from './domain/attachments/attachments';

export async function sweepUploads(_timer: Timer, context: InvocationContext): Promise<void> {
  const swept = await sweepAbandonedUploads(undefined, Date.now(), (line) => context.warn(line));
  if (swept > 0) context.log(`sweepUploads: ${swept} abandoned uploads deleted`);
}

app.timer('sweepUploads', {
  // 03:17:00 every day (NCRONTAB with seconds); off the hour, when fewer timers start.
  schedule: '0 17 3 * * *',
  handler: sweepUploads,
});

/**
 * The `timerTrigger`: NCRONTAB schedules with seconds (`{second} {minute} {hour} {day} {month}
 * {day-of-week}`) or a TimeSpan (`hh:mm:ss`), `runOnStartup`, `useMonitor`, and the TimerInfo the
 * extension hands the worker (`{ Schedule, ScheduleStatus, IsPastDue }` as JSON, which the library
 * camel-cases). Occurrences are computed by croner in 6-part mode with NCRONTAB's rule that day of
 * month and day of week must both match; scheduling, status and invocations are ours.
 */
import { Cron } from 'croner';

import type { BindingType, HostContext, TriggerListener, TriggerTarget } from './binding';
import { executeAndLog } from './execute-and-log';
import { dotNetLocal, parseTimeSpan, settingText, StoppableDelay } from './trigger-support';

/** No storage setting: the schedule monitor's status lives in memory here. */
export const timerTrigger: BindingType = {
  name: 'timerTrigger',
  directions: ['trigger'],
  startListener: startTimerListener,
};

/** What Json.NET writes for `default(DateTime)`, the extension's "never" in a fresh ScheduleStatus. */
const NEVER = '0001-01-01T00:00:00';
/** setTimeout's limit (about 24.8 days); longer waits are done in steps, as the extension does. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export interface TimerSchedule {
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
  /** Cron schedules adjust for DST; constant intervals do not (the extension's AdjustForDST). */
  readonly adjustForDST: boolean;
  readonly description: string;
}

/**
 * Parses a schedule as the extension does: an NCRONTAB expression with exactly six fields, else
 * a TimeSpan, else the extension's error. `%Setting%` names an app setting holding the schedule.
 */
export function parseSchedule(expression: string, env: NodeJS.ProcessEnv = process.env): TimerSchedule {
  let resolved = expression.trim();
  const setting = /^%([^%]+)%$/.exec(resolved);
  if (setting) {
    const value = env[setting[1]];
    if (value === undefined) throw new Error(`App setting '${setting[1]}' named in the schedule is not set`);
    resolved = value.trim();
  }
  const fields = resolved.split(/\s+/);
  // NCRONTAB knows numbers, names, `*`, `,`, `-` and `/` only: croner's L, W, #, ? and @nicknames are refused.
  if (fields.length === 6 && fields.every(isNcrontabField)) {
    let cron: Cron | undefined;
    try {
      cron = new Cron(resolved, { paused: true, mode: '6-part', domAndDow: true });
    } catch {
      cron = undefined;
    }
    if (cron) {
      const job = cron;
      return {
        adjustForDST: true,
        description: `Cron: '${resolved}'`,
        next(after) {
          const next = job.nextRun(after);
          if (!next) throw new Error(`The schedule '${resolved}' has no next occurrence`);
          return next;
        },
      };
    }
  }
  const interval = fields.length === 1 ? parseTimeSpan(resolved) : undefined;
  if (interval !== undefined && interval > 0) {
    return {
      adjustForDST: false,
      description: `Constant: ${resolved}`,
      next: (after) => new Date(after.getTime() + interval),
    };
  }
  // The extension's wording. A five-field (minute) cron lands here too: the extension parses with seconds.
  throw new Error(
    `The schedule expression '${resolved}' was not recognized as a valid cron expression or timespan string` +
      (fields.length === 5 ? ' (NCRONTAB needs six fields: {second} {minute} {hour} {day} {month} {day-of-week})' : ''),
  );
}

/** NCRONTAB field syntax: `*`, numbers or three-letter names, ranges, steps, lists. */
function isNcrontabField(field: string): boolean {
  return field.split(',').every((part) => /^(?:\*|(?:\d+|[A-Za-z]{3})(?:-(?:\d+|[A-Za-z]{3}))?)(?:\/\d+)?$/.test(part));
}

/**
 * The extension turns the monitor off for schedules that fire more than once a minute (cron with
 * two occurrences in the next minute, or a TimeSpan under a minute); otherwise `useMonitor`
 * (default true) decides.
 */
export function monitorEnabled(schedule: TimerSchedule, requested: unknown, now = new Date()): boolean {
  const first = schedule.next(now);
  const second = schedule.next(first);
  if (second.getTime() - now.getTime() <= 60_000) return false;
  return requested !== false && requested !== 'false';
}

interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

/** Checks the schedule (throws at startup if it is bad), then runs the timer until stopped. */
export function startTimerListener(target: TriggerTarget, host: HostContext): TriggerListener {
  const { fn, trigger } = target;
  const { log } = host;
  const schedule = parseSchedule(settingText(trigger['schedule'] ?? ''));
  const useMonitor = monitorEnabled(schedule, trigger['useMonitor']);
  const runOnStartup = trigger['runOnStartup'] === true || trigger['runOnStartup'] === 'true';
  const delay = new StoppableDelay();

  // The status the extension keeps. Ours lives in memory: a restart starts from a fresh status,
  // so an occurrence missed while the host was down is not replayed (IsPastDue stays false).
  let next = schedule.next(new Date());
  let status: ScheduleStatus = { Last: NEVER, Next: dotNetLocal(next), LastUpdated: NEVER };
  const upcoming = [next];
  while (upcoming.length < 5) upcoming.push(schedule.next(upcoming[upcoming.length - 1]));
  log(
    `[${fn.name}] ${schedule.description}; next occurrences: ${upcoming.map((d) => d.toISOString()).join(', ')}` +
      (useMonitor ? '' : ' (schedule monitor off)'),
  );

  const invoke = async (kind: 'scheduled' | 'startup', invocationTime: Date) => {
    const timerInfo = {
      Schedule: { AdjustForDST: schedule.adjustForDST },
      ScheduleStatus: useMonitor ? status : null,
      IsPastDue: false,
    };
    // A failed run never stops the schedule, as in the extension.
    await executeAndLog(
      host,
      { fn, triggerName: target.triggerName, triggerData: { json: JSON.stringify(timerInfo) }, bindingData: {} },
      kind,
    );
    // A timer that fired a little early counts from its scheduled time, so `Next` always moves on.
    const base = kind === 'scheduled' && next > invocationTime ? next : invocationTime;
    next = schedule.next(base);
    status = { Last: dotNetLocal(base), Next: dotNetLocal(next), LastUpdated: dotNetLocal(base) };
  };

  const loop = (async () => {
    if (runOnStartup) await invoke('startup', new Date());
    while (!delay.stopped) {
      const wait = next.getTime() - Date.now();
      if (wait > 0) {
        if (!(await delay.wait(Math.min(wait, MAX_TIMEOUT_MS)))) break;
        if (next.getTime() > Date.now()) continue;
      }
      await invoke('scheduled', new Date());
    }
  })();

  return {
    functionName: fn.name,
    async stop() {
      delay.stop();
      await loop;
    },
  };
}

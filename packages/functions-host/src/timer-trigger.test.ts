import { monitorEnabled, parseSchedule } from './bindings/timer-trigger';
import { startFixtureHost, type TestHost } from './testing/helpers';
import { waitFor } from './testing/wait';

interface Seen {
  timer: { schedule: { adjustForDST: boolean }; scheduleStatus: unknown; isPastDue: boolean };
  at: number;
  triggerMetadata: unknown;
}

describe('local Functions host: timer trigger', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('timer-app');
  });
  afterAll(async () => {
    await host.close();
  });

  const seen = async () => (await (await fetch(`${host.url}/api/seen`)).json()) as Record<string, Seen[]>;

  it('runs a per-second NCRONTAB schedule on the second, with the Timer object the library passes', async () => {
    const runs = await waitFor(async () => {
      const list = (await seen())['everySecond'];
      return list.length >= 3 && list;
    }, 'three per-second runs');
    // Sub-minute schedules run without the monitor, as in the extension: no schedule status.
    expect(runs[0]?.timer).toEqual({ schedule: { adjustForDST: true }, scheduleStatus: null, isPastDue: false });
    // The library keeps timer trigger metadata from the function.
    expect(runs[0]?.triggerMetadata).toBeNull();
    const gaps = runs.slice(1).map((r, i) => r.at - (runs[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThan(500);
    // One run per wall-clock second.
    expect(new Set(runs.map((r) => Math.floor(r.at / 1000))).size).toBe(runs.length);
  });

  it('runs a runOnStartup timer at once, with a fresh schedule status when the monitor is on', async () => {
    const [first] = await waitFor(async () => {
      const list = (await seen())['startup'];
      return list.length > 0 && list;
    }, 'the startup run');
    expect(first?.timer.isPastDue).toBe(false);
    const status = first?.timer.scheduleStatus as { last: string; next: string; lastUpdated: string };
    expect(status.last).toBe('0001-01-01T00:00:00');
    expect(status.lastUpdated).toBe('0001-01-01T00:00:00');
    // Next is the coming full hour, local time with its offset, as Json.NET writes a local DateTime.
    expect(status.next).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00[+-]\d\d:\d\d$/);
    const next = new Date(status.next).getTime();
    expect(next).toBeGreaterThan(Date.now() - 5000);
    expect(next - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(new Date(status.next).getMinutes()).toBe(0);
  });

  it('passes no schedule status when useMonitor is false', async () => {
    const [first] = await waitFor(async () => {
      const list = (await seen())['startupNoMonitor'];
      return list.length > 0 && list;
    }, 'the startup run without monitor');
    expect(first?.timer).toEqual({ schedule: { adjustForDST: true }, scheduleStatus: null, isPastDue: false });
  });

  it('accepts a TimeSpan schedule (hh:mm:ss), which does not adjust for DST', async () => {
    const runs = await waitFor(async () => {
      const list = (await seen())['constant'];
      return list.length >= 2 && list;
    }, 'two runs of the 1 s TimeSpan');
    expect(runs[0]?.timer.schedule).toEqual({ adjustForDST: false });
    expect((runs[1]?.at ?? 0) - (runs[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('keeps the schedule going when the function fails, with the failure in the log only', async () => {
    await waitFor(async () => (await seen())['failing'].length >= 2, 'two runs of the failing timer');
    expect(
      host.logs.some((l) => l.includes("Executed 'Functions.failing' (Failed") && l.includes('timer failure detail')),
    ).toBe(true);
  });

  it('logs the schedule and its next occurrences at startup', () => {
    expect(host.logs.some((l) => l.startsWith("[startup] Cron: '0 0 * * * *'; next occurrences:"))).toBe(true);
  });
});

describe('timer schedules as the extension parses them', () => {
  const at = new Date(2026, 0, 1, 10, 15, 30); // local time, a Thursday

  it('reads six-field NCRONTAB with seconds first', () => {
    expect(parseSchedule('*/5 * * * * *').next(at)).toEqual(new Date(2026, 0, 1, 10, 15, 35));
    expect(parseSchedule('0 30 9 * * 1-5').next(at)).toEqual(new Date(2026, 0, 2, 9, 30, 0));
    expect(parseSchedule('0 0 12 * * SUN').next(at)).toEqual(new Date(2026, 0, 4, 12, 0, 0));
  });

  it('requires both day of month and day of week to match, as NCRONTAB does (not cron OR)', () => {
    // Friday the 13th: February and March 2026 have the 13th on a Friday.
    expect(parseSchedule('0 0 0 13 * 5').next(at)).toEqual(new Date(2026, 1, 13, 0, 0, 0));
  });

  it('refuses five-field cron as the extension does (it parses with seconds), and other junk', () => {
    expect(() => parseSchedule('*/5 * * * *')).toThrow(
      "The schedule expression '*/5 * * * *' was not recognized as a valid cron expression or timespan string (NCRONTAB needs six fields",
    );
    expect(() => parseSchedule('0 0 0 L * *')).toThrow(/not recognized/);
    expect(() => parseSchedule('@daily')).toThrow(/not recognized/);
    expect(() => parseSchedule('0 61 * * * *')).toThrow(/not recognized/);
    expect(() => parseSchedule('')).toThrow(/not recognized/);
  });

  it('reads TimeSpans and %AppSetting% schedules', () => {
    expect(parseSchedule('00:05:00').next(at).getTime() - at.getTime()).toBe(300_000);
    expect(parseSchedule('1.00:00:00').next(at).getTime() - at.getTime()).toBe(86_400_000);
    expect(parseSchedule('%MY_SCHEDULE%', { MY_SCHEDULE: '0 0 * * * *' }).next(at)).toEqual(
      new Date(2026, 0, 1, 11, 0, 0),
    );
    expect(() => parseSchedule('%NOT_SET%', {})).toThrow("App setting 'NOT_SET' named in the schedule is not set");
  });

  it('turns the monitor off for schedules that fire more than once a minute', () => {
    expect(monitorEnabled(parseSchedule('*/10 * * * * *'), undefined, at)).toBe(false);
    expect(monitorEnabled(parseSchedule('00:00:30'), true, at)).toBe(false);
    expect(monitorEnabled(parseSchedule('0 * * * * *'), undefined, at)).toBe(true);
    expect(monitorEnabled(parseSchedule('0 0 * * * *'), false, at)).toBe(false);
  });
});

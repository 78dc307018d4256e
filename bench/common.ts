/**
 * What every part of the benchmark shares: the clock, the payload format, latency sinks and
 * percentiles. Nothing here does I/O.
 */
import { readFileSync } from 'node:fs';

/**
 * Microseconds on CLOCK_MONOTONIC. On Linux every process reads the same clock, so a stamp taken
 * by the sender in one process can be subtracted by a receiver in another.
 */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Every payload starts with this marker, so receivers find it inside any envelope. */
export const MARKER = '~B|';
const MARKER_BYTES = Buffer.from(MARKER);
const PIPE = 0x7c;

/**
 * `~B|<phase>|<seq>|<stampUs>|xxxx…`, exactly `bytes` long (ASCII). The stamp is taken now, when
 * the message leaves the sender.
 */
export function makePayload(phase: number, seq: number, bytes: number): string {
  const head = `${MARKER}${phase}|${seq}|${nowUs()}|`;
  return bytes > head.length ? head + 'x'.repeat(bytes - head.length) : head;
}

export interface Stamp {
  phase: number;
  seq: number;
  stampUs: number;
}

/** Reads the stamp after the marker; `from` is where to start looking. Undefined when absent. */
export function readStamp(data: Buffer, from = 0): Stamp | undefined {
  const at = data.indexOf(MARKER_BYTES, from);
  if (at < 0) return undefined;
  let i = at + MARKER_BYTES.length;
  const fields = [0, 0, 0];
  for (let f = 0; f < 3; f++) {
    let value = 0;
    let digits = 0;
    for (; i < data.length; i++) {
      const c = data[i];
      if (c === PIPE) break;
      if (c < 0x30 || c > 0x39) return undefined;
      value = value * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0 || i >= data.length) return undefined;
    fields[f] = value;
    i++;
  }
  return { phase: fields[0], seq: fields[1], stampUs: fields[2] };
}

export function readStampFromString(text: string): Stamp | undefined {
  return readStamp(Buffer.from(text, 'utf8'));
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Microsoft-style buckets: how many under 50/100/200/500/1000 ms, and at or over 1 s. */
  buckets: Record<string, number>;
}

const BUCKETS_MS = [50, 100, 200, 500, 1000];

/** Latencies (ms) of one phase plus counts of what arrived. */
export class LatencySink {
  received = 0;
  /** Messages of another phase (late arrivals of a previous one): not counted as received. */
  stale = 0;
  phase = -1;
  private values = new Float64Array(1 << 16);

  reset(phase: number): void {
    this.phase = phase;
    this.received = 0;
    this.stale = 0;
    if (this.values.length > 1 << 20) this.values = new Float64Array(1 << 16);
  }

  record(stamp: Stamp | undefined, atUs = nowUs()): void {
    if (!stamp) return;
    if (stamp.phase !== this.phase) {
      this.stale++;
      return;
    }
    if (this.received === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.received++] = (atUs - stamp.stampUs) / 1000;
  }

  summary(): LatencySummary {
    return summarize(this.values.subarray(0, this.received));
  }

  /** [latency in 10 µs units, count] pairs: small enough to send over IPC, exact to 10 µs. */
  histogram(): [number, number][] {
    const counts = new Map<number, number>();
    for (let i = 0; i < this.received; i++) {
      const key = Math.round(this.values[i] * 100);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts];
  }
}

/** One summary of the latencies of several generator processes (their histograms). */
export function summarizeHistograms(histograms: [number, number][][]): LatencySummary {
  let n = 0;
  for (const h of histograms) for (const [, count] of h) n += count;
  const values = new Float64Array(n);
  let i = 0;
  for (const h of histograms) for (const [key, count] of h) values.fill(key / 100, i, (i += count));
  return summarize(values);
}

export function summarize(values: Float64Array | number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (q: number): number => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]);
  let sum = 0;
  for (const v of sorted) sum += v;
  const buckets: Record<string, number> = {};
  let i = 0;
  for (const limit of BUCKETS_MS) {
    let count = 0;
    while (i < n && sorted[i] < limit) {
      i++;
      count++;
    }
    buckets[`<${limit}ms`] = count;
  }
  buckets['>=1000ms'] = n - i;
  return {
    count: n,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(n ? sorted[n - 1] : 0),
    mean: round(n ? sum / n : 0),
    buckets,
  };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** CPU time of this process since `since`, as used µs and a share of one core over `wallMs`. */
export interface CpuWindow {
  userMs: number;
  systemMs: number;
  wallMs: number;
  /** (user + system) / wall, in percent of one core. */
  percent: number;
}

export class CpuMeter {
  private startCpu = process.cpuUsage();
  private startWall = performance.now();

  reset(): void {
    this.startCpu = process.cpuUsage();
    this.startWall = performance.now();
  }

  read(): CpuWindow {
    const used = process.cpuUsage(this.startCpu);
    const wallMs = performance.now() - this.startWall;
    return {
      userMs: round(used.user / 1000),
      systemMs: round(used.system / 1000),
      wallMs: round(wallMs),
      percent: round(wallMs > 0 ? ((used.user + used.system) / 1000 / wallMs) * 100 : 0, 1),
    };
  }
}

/** Runs `task` for each index with at most `limit` in flight. */
export async function pool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Per-core jiffies from /proc/stat (Linux); empty elsewhere. */
export interface CoreTimes {
  total: number;
  idle: number;
  softirq: number;
  steal: number;
}

export function readCoreTimes(): CoreTimes[] {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return [];
  }
  const cores: CoreTimes[] = [];
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const v = match[2].split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    cores[Number(match[1])] = {
      total,
      idle: (v[3] ?? 0) + (v[4] ?? 0),
      softirq: (v[5] ?? 0) + (v[6] ?? 0),
      steal: v[7] ?? 0,
    };
  }
  return cores;
}

/** What each core did between two readings, in percent of that core. */
export interface CoreUse {
  busy: number;
  softirq: number;
  steal: number;
}

export function coreUse(before: CoreTimes[], after: CoreTimes[]): CoreUse[] {
  return after.map((a, i) => {
    const b = before[i] ?? { total: 0, idle: 0, softirq: 0, steal: 0 };
    const total = a.total - b.total || 1;
    return {
      busy: round((100 * (total - (a.idle - b.idle))) / total, 1),
      softirq: round((100 * (a.softirq - b.softirq)) / total, 1),
      steal: round((100 * (a.steal - b.steal)) / total, 1),
    };
  });
}

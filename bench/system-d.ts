/**
 * System D, the full serverless path: signed-in users POST /api/messages (room `general`) to our
 * local Functions host, which checks the rate limit and stores the message in Azurite, then the
 * SignalR output binding calls the emulator's REST API, which fans out to the receivers.
 * The stack's three processes are pinned to core 0, the load generator to core 1.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';
import { DEFAULT_EMULATOR_ACCESS_KEY } from '@hubbub/signalr-emulator';

import { freePort } from '../local/stack/ports';
import { startStack } from '../local/stack/stack';
import {
  type CoreUse,
  coreUse,
  type CpuWindow,
  type LatencySummary,
  readCoreTimes,
  round,
  sleep,
  summarize,
  summarizeHistograms,
} from './common';
import type { ConnectResult, PhaseResult, SendResult } from './generator';
import { hasTaskset, RpcChild } from './rpc';

export interface SystemDParams {
  receivers: number;
  /** Distinct signed-in senders at least: the app allows each 20 messages in 10 s, so more are signed in for higher rates. */
  senders: number;
  /** Offered messages/s, stepped up until p99 passes 1 s or a message is lost. */
  rates: number[];
  seconds: number;
  /** Go on past a step whose p99 passed 1 s (`--d-through`), to see the answers past capacity. */
  through?: boolean;
  /** Processes the receivers are spread over. */
  generators?: number;
}

export interface SystemDResult {
  params: SystemDParams;
  /** Offered messages/s of this window. */
  rate: number;
  /** Senders taking turns in this window. */
  senders: number;
  connect: ConnectResult;
  sent: SendResult;
  expected: number;
  received: number;
  lost: number;
  deliveredPerSecond: number;
  latency: LatencySummary;
  /** CPU of each stack process over the window, percent of one core. */
  serverPercent: Record<string, number>;
  /** Whole-core use over the window (core 0 = the stack, core 1 = generators), other work included. */
  cores?: CoreUse[];
  /** CPU ms each stack process spent per accepted message (HTTP + validation + storage + binding, storage, fan-out). */
  cpuMsPerMessage: Record<string, number>;
  generator: CpuWindow;
  /** CPU % of each generator process: the sender first, then the receivers. */
  generatorProcesses: number[];
  /** The stack's log lines of failures in this window (ids and numbers blanked), with how often each came. */
  hostFailures?: Record<string, number>;
  void: boolean;
  voidReason?: string;
}

const DRAIN_TIMEOUT_MS = 10_000;
/** Lines of the stack's log that tell of a failure (an invocation that failed, a warning, an error). */
const FAILURE = /Failed|error|warn|gave up|timed? ?out/i;
const PROBES = 30;

/**
 * Where one message's time goes, from the pieces measured alone (sequential, medians): the
 * Functions host's HTTP + cookie auth (GET /api/me), each kind of Table Storage round trip
 * POST /api/messages makes to Azurite, and the emulator's REST send, which answers after its
 * fan-out to every receiver.
 */
export interface DBreakdown {
  hostHttpAuthMs: LatencySummary;
  storageGetMs: LatencySummary;
  storageUpdateMs: LatencySummary;
  storageBatchMs: LatencySummary;
  restSendWithFanOutMs: LatencySummary;
  receivers: number;
  /** What POST /api/messages to `general` does in storage, read from functions/ (messages.ts and its lib). */
  roundTrips: string[];
}

async function timed(count: number, task: (i: number) => Promise<unknown>): Promise<LatencySummary> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return summarize(times);
}

async function probe(
  stack: { urls: { api: string; signalr: string }; storageConnectionString: string },
  sender: RpcChild,
  receivers: number,
): Promise<DBreakdown> {
  const login = await fetch(`${stack.urls.api}/.auth/login/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'prober' }).toString(),
    redirect: 'manual',
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('AppServiceAuthSession='));
  const hostHttpAuthMs = await timed(PROBES, async () => {
    const response = await fetch(`${stack.urls.api}/api/me`, { headers: { cookie: cookie ?? '' } });
    await response.arrayBuffer();
  });
  const client = TableClient.fromConnectionString(stack.storageConnectionString, 'benchprobe', {
    allowInsecureConnection: true,
  });
  await client.createTable();
  const partition = 'probe';
  await client.createEntity({ partitionKey: partition, rowKey: 'rate', times: '[]' });
  const storageGetMs = await timed(PROBES, () => client.getEntity(partition, 'rate'));
  const storageUpdateMs = await timedUpdates(client, partition);
  const storageBatchMs = await timed(PROBES, (i) =>
    client.submitTransaction([
      ['create', { partitionKey: partition, rowKey: `m${i}`, text: 'x'.repeat(200) }],
      ['create', { partitionKey: partition, rowKey: `k${i}`, ref: `m${i}` }],
    ]),
  );
  const rest = await sender.call<SendResult>('send', {
    target: { kind: 'rest', url: stack.urls.signalr },
    phase: 999,
    rate: 5,
    durationMs: 4000,
    payloadBytes: 200,
  });
  return {
    hostHttpAuthMs,
    storageGetMs,
    storageUpdateMs,
    storageBatchMs,
    restSendWithFanOutMs: rest.requestMs,
    receivers,
    roundTrips: [
      'step 1, together: membership (none for general; 1 GET memberships for any other room), the send limit (1 GET ratelimits, unless this instance wrote the bucket last), ' +
        "the author's read position (1 GET readstate) and the room's counter (1 GET messages, unless this instance's last commit told its ETag)",
      'step 2: the send limit’s conditional PUT with its ETag (or 1 POST the first time)',
      "step 3, together: 1 entity-group transaction (counter + marker + message rows; a repeat id conflicts and costs 2 GETs more), the author's read position (1 conditional PUT) and its unread count (1 range query)",
      'then the output binding: 1 REST POST to the SignalR service, whose answer waits for the fan-out here',
    ],
  };
}

async function timedUpdates(client: TableClient, partition: string): Promise<LatencySummary> {
  const times: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const current = await client.getEntity(partition, 'rate');
    const started = performance.now();
    await client.updateEntity({ partitionKey: partition, rowKey: 'rate', times: `[${Date.now()}]` }, 'Replace', {
      etag: current.etag,
    });
    times.push(performance.now() - started);
  }
  return summarize(times);
}

/** Log lines alike but for ids, numbers and times, counted; at most 20 kinds of 300 characters. */
function tally(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) {
    const kind = line
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
      .replace(/\d+/g, 'N')
      .slice(0, 300);
    if (out[kind] !== undefined || Object.keys(out).length < 20) out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

/** Children of this process, by what they run. */
function stackPids(): Record<string, number> {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const pids: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, args] = match as unknown as [string, string, string];
    if (args.includes('azurite')) pids['azurite'] = Number(pid);
    else if (args.includes('bin/signalr-emulator.js')) pids['emulator'] = Number(pid);
    else if (args.includes('bin/functions-host.js')) pids['functions'] = Number(pid);
  }
  return pids;
}

/** utime + stime of a process and its threads, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

export async function runSystemD(
  params: SystemDParams,
  root: string,
  log: (line: string) => void,
): Promise<{ windows: SystemDResult[]; breakdown?: DBreakdown }> {
  await mkdir(join(root, '.data'), { recursive: true });
  const dataDir = await mkdtemp(join(root, '.data', 'bench-'));
  const stackLog: string[] = [];
  const failures: string[] = [];
  const profileDir = process.env['BENCH_CPU_PROF'];
  const stack = await startStack({
    root,
    dataDir,
    ports: { spa: 0, functions: await freePort(), signalr: await freePort(), tables: await freePort() },
    spa: 'none',
    // The generator mints its receivers' tokens with the published key (bench/clients.ts); the
    // stack binds to loopback, where the emulator still accepts that key when it is asked for.
    signalrAccessKey: DEFAULT_EMULATOR_ACCESS_KEY,
    values: {
      HUBBUB_AUTH_SECRET: randomBytes(32).toString('hex'),
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the Functions host too (written when it stops).
      ...(profileDir && {
        NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-name=functions-${Date.now()}.cpuprofile`,
      }),
    },
    log: (line) => {
      // The host's failures (a 500's stack) are kept whatever came before them.
      if (stackLog.length < 200) stackLog.push(line);
      if (FAILURE.test(line)) failures.push(line);
    },
  });
  const start = (): RpcChild => RpcChild.start({ script: join(__dirname, 'generator-process.js'), cpus: '1' });
  const sender = start();
  const receivers = Array.from({ length: Math.max(1, params.generators ?? 1) }, start);
  const results: SystemDResult[] = [];
  try {
    const pids = stackPids();
    if (hasTaskset()) {
      for (const pid of Object.values(pids)) execFileSync('taskset', ['-a', '-p', '-c', '0', String(pid)]);
    }
    await Promise.all([sender.ready, ...receivers.map((r) => r.ready)]);
    // 20 messages per user per 10 s: at most 2/s each, so 1.5/s each leaves a margin.
    const maxSenders = Math.max(params.senders, ...params.rates.map((r) => Math.ceil(r / 1.5)));
    const signedIn = await sender.call<number>('login', { url: stack.urls.api, count: maxSenders, prefix: 'sender' });
    log(`D: ${signedIn} senders signed in`);
    let connected = 0;
    let connectMs = 0;
    let failed = 0;
    let firstError: string | undefined;
    const counts: number[] = [];
    for (const [i, child] of receivers.entries()) {
      const count = Math.floor(params.receivers / receivers.length) + (i < params.receivers % receivers.length ? 1 : 0);
      const c = await child.call<ConnectResult>('connect', {
        kind: 'signalr-raw',
        url: stack.urls.signalr,
        count,
        concurrency: 20,
        userPrefix: `reader${i}-`,
      });
      connected += c.connected;
      failed += c.failed;
      connectMs += c.ms;
      firstError ??= c.firstError;
      counts.push(c.connected);
    }
    const connect: ConnectResult = {
      requested: params.receivers,
      connected,
      failed,
      ms: round(connectMs),
      perSecond: round((connected / Math.max(connectMs, 1)) * 1000, 1),
      firstError,
      total: connected,
    };
    log(`D: ${connected}/${params.receivers} receivers connected over ${receivers.length} processes`);
    // Let the `connected` upstream calls (presence, Table writes) settle before measuring.
    await sleep(3000);
    let breakdown: DBreakdown | undefined;
    try {
      breakdown = await probe(stack, sender, connected);
      log(
        `D pieces (median ms): host HTTP+auth ${breakdown.hostHttpAuthMs.p50}, storage GET ${breakdown.storageGetMs.p50}, ` +
          `conditional PUT ${breakdown.storageUpdateMs.p50}, batch ${breakdown.storageBatchMs.p50}, ` +
          `REST send + fan-out to ${connected} ${breakdown.restSendWithFanOutMs.p50}`,
      );
    } catch (error) {
      log(`D: probes failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    await sleep(1000);
    let phase = 1_000_000;
    for (const rate of params.rates) {
      phase++;
      await Promise.all([sender, ...receivers].map((g) => g.call('begin', { phase })));
      const failuresBefore = failures.length;
      const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
      const coresBefore = readCoreTimes();
      const wallStart = performance.now();
      const senders = Math.max(params.senders, Math.ceil(rate / 1.5));
      const sent = await sender.call<SendResult>('send', {
        target: { kind: 'functions', url: stack.urls.api },
        phase,
        rate,
        durationMs: params.seconds * 1000,
        payloadBytes: 200,
        senders,
      });
      const expected = sent.accepted * connected;
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      for (;;) {
        const progress = await Promise.all(receivers.map((r) => r.call<{ received: number }>('progress')));
        if (progress.reduce((n, p) => n + p.received, 0) >= expected || Date.now() > deadline) break;
        await sleep(50);
      }
      const [senderEnd, ...ends] = await Promise.all([sender, ...receivers].map((g) => g.call<PhaseResult>('end')));
      const wallMs = performance.now() - wallStart;
      const cores = coreUse(coresBefore, readCoreTimes());
      const cpu = Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid) - (before[name] ?? 0)]),
      );
      const serverPercent = Object.fromEntries(
        Object.entries(cpu).map(([name, ms]) => [name, round((ms / wallMs) * 100, 1)]),
      );
      const cpuMsPerMessage = Object.fromEntries(
        Object.entries(cpu).map(([name, ms]) => [name, round(ms / Math.max(1, sent.accepted), 2)]),
      );
      const processes = [senderEnd.cpu.percent, ...ends.map((e) => e.cpu.percent)];
      const genTotal = round(
        processes.reduce((n, p) => n + p, 0),
        1,
      );
      const received = ends.reduce((n, e) => n + e.received, 0);
      const reasons: string[] = [];
      if (genTotal > 90) reasons.push(`generators at ${genTotal}%`);
      if (sent.accepted < sent.attempted) reasons.push(`${sent.attempted - sent.accepted} posts not accepted`);
      const cpuWindow = ends.map((e) => e.cpu);
      const result: SystemDResult = {
        params,
        rate,
        senders,
        connect,
        sent,
        expected,
        received,
        lost: Math.max(0, expected - received),
        deliveredPerSecond: round((received / wallMs) * 1000, 0),
        latency: summarizeHistograms(ends.map((e) => e.histogram)),
        serverPercent,
        cores,
        cpuMsPerMessage,
        generator: {
          userMs: round(cpuWindow.reduce((n, c) => n + c.userMs, 0)),
          systemMs: round(cpuWindow.reduce((n, c) => n + c.systemMs, 0)),
          wallMs: round(wallMs),
          percent: round(
            ends.reduce((n, e) => n + e.cpu.percent, 0),
            1,
          ),
        },
        generatorProcesses: processes,
        hostFailures: tally(failures.slice(failuresBefore)),
        void: reasons.length > 0,
        voidReason: reasons.length ? reasons.join('; ') : undefined,
      };
      results.push(result);
      log(
        `D ${rate}/s: ${received}/${expected} delivered, lost ${result.lost}, p50 ${result.latency.p50} p99 ${result.latency.p99} ms, ` +
          `HTTP p50 ${sent.requestMs.p50} p99 ${sent.requestMs.p99} ms, statuses ${JSON.stringify(sent.statuses)}, ` +
          `stack ${JSON.stringify(serverPercent)}, cores ${cores.map((c) => c.busy).join('/')}%, CPU ms/msg ${JSON.stringify(cpuMsPerMessage)}, gen [${processes.join(' ')}]` +
          (result.void ? ` VOID (${result.voidReason})` : ''),
      );
      for (const [line, count] of Object.entries(result.hostFailures ?? {})) log(`D ${rate}/s host ×${count}: ${line}`);
      // Past capacity the app answers 503 (or 429) with Retry-After: the curve goes on through such a step
      // to show it; any other refusal (a 500) ends it.
      const refusedOtherwise = Object.entries(sent.statuses).some(
        ([status]) => !/^2/.test(status) && status !== '503' && status !== '429',
      );
      const slow = result.latency.p99 > 1000 && !params.through;
      if (slow || result.lost > 0 || sent.errors > 0 || refusedOtherwise) {
        log(`D: stopping at ${rate}/s (p99 over 1 s, losses, or posts refused other than 503/429)`);
        break;
      }
      await sleep(1000);
    }
    void counts;
    await Promise.all(receivers.map((r) => r.call('closeAll')));
    return { windows: results, breakdown };
  } finally {
    await Promise.all([sender.stop(), ...receivers.map((r) => r.stop())]);
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

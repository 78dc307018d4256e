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

import { DEFAULT_EMULATOR_ACCESS_KEY } from '../local/shared/connection-string';
import { freePort } from '../local/stack/ports';
import { startStack } from '../local/stack/stack';
import { type CpuWindow, type LatencySummary, round, sleep } from './common';
import type { ConnectResult, PhaseResult, SendResult } from './generator';
import { hasTaskset, RpcChild } from './rpc';

export interface SystemDParams {
  receivers: number;
  /** Distinct signed-in senders: the app allows each 20 messages in 10 s. */
  senders: number;
  rate: number;
  seconds: number;
}

export interface SystemDResult {
  params: SystemDParams;
  connect: ConnectResult;
  sent: SendResult;
  expected: number;
  received: number;
  lost: number;
  deliveredPerSecond: number;
  latency: LatencySummary;
  /** CPU of each stack process over the window, percent of one core. */
  serverPercent: Record<string, number>;
  generator: CpuWindow;
  void: boolean;
  voidReason?: string;
}

const DRAIN_TIMEOUT_MS = 10_000;

/** Children of this process, by what they run. */
function stackPids(): Record<string, number> {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const pids: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, args] = match as unknown as [string, string, string];
    if (args.includes('azurite')) pids['azurite'] = Number(pid);
    else if (args.includes('signalr-emulator/cli.js')) pids['emulator'] = Number(pid);
    else if (args.includes('functions-host/cli.js')) pids['functions'] = Number(pid);
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
): Promise<SystemDResult> {
  await mkdir(join(root, '.data'), { recursive: true });
  const dataDir = await mkdtemp(join(root, '.data', 'bench-'));
  const stackLog: string[] = [];
  const stack = await startStack({
    root,
    dataDir,
    ports: { spa: 0, functions: await freePort(), signalr: await freePort(), tables: await freePort() },
    spa: 'none',
    // The generator mints its receivers' tokens with the published key (bench/clients.ts); the
    // stack binds to loopback, where the emulator still accepts that key when it is asked for.
    signalrAccessKey: DEFAULT_EMULATOR_ACCESS_KEY,
    values: { HUBBUB_AUTH_SECRET: randomBytes(32).toString('hex') },
    log: (line) => {
      if (stackLog.length < 200) stackLog.push(line);
    },
  });
  const gen = RpcChild.start({ script: join(__dirname, 'generator-process.js'), cpus: '1' });
  try {
    const pids = stackPids();
    if (hasTaskset()) {
      for (const pid of Object.values(pids)) execFileSync('taskset', ['-a', '-p', '-c', '0', String(pid)]);
    }
    await gen.ready;
    const signedIn = await gen.call<number>('login', { url: stack.urls.api, count: params.senders, prefix: 'sender' });
    log(`D: ${signedIn} senders signed in`);
    const connect = await gen.call<ConnectResult>('connect', {
      kind: 'signalr-raw',
      url: stack.urls.signalr,
      count: params.receivers,
      concurrency: 20,
      userPrefix: 'reader',
    });
    log(`D: ${connect.connected}/${connect.requested} receivers connected (${connect.perSecond}/s)`);
    // Let the `connected` upstream calls (presence, Table writes) settle before measuring.
    await sleep(3000);
    const phase = 1_000_000;
    await gen.call('begin', { phase });
    const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
    const wallStart = performance.now();
    const sent = await gen.call<SendResult>('send', {
      target: { kind: 'functions', url: stack.urls.api },
      phase,
      rate: params.rate,
      durationMs: params.seconds * 1000,
      payloadBytes: 200,
    });
    const expected = sent.accepted * connect.connected;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while ((await gen.call<{ received: number }>('progress')).received < expected && Date.now() < deadline) {
      await sleep(50);
    }
    const end = await gen.call<PhaseResult>('end');
    const wallMs = performance.now() - wallStart;
    const serverPercent = Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [name, round(((cpuMs(pid) - (before[name] ?? 0)) / wallMs) * 100, 1)]),
    );
    const reasons: string[] = [];
    if (end.cpu.percent > 90) reasons.push(`generator at ${end.cpu.percent}%`);
    if (sent.accepted < sent.attempted) reasons.push(`${sent.attempted - sent.accepted} posts not accepted`);
    await gen.call('closeAll');
    return {
      params,
      connect,
      sent,
      expected,
      received: end.received,
      lost: Math.max(0, expected - end.received),
      deliveredPerSecond: round((end.received / end.cpu.wallMs) * 1000, 0),
      latency: end.latency,
      serverPercent,
      generator: end.cpu,
      void: reasons.length > 0,
      voidReason: reasons.length ? reasons.join('; ') : undefined,
    };
  } finally {
    await gen.stop();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench` (quick profile) or `npm run bench -- --full`: systems A (raw ws), B (emulator,
 * raw SignalR clients), C (real @microsoft/signalr clients inside B's run) and D (the chat app's
 * POST /api/messages through the local Functions host and Azurite) measured side by side in one
 * run, servers pinned to core 0 and load generators to core 1, each in its own process.
 * Writes bench/results/<profile>.json, .md and .svg.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';

import type { ClientKind } from './clients';
import { type CoreUse, coreUse, type CpuWindow, readCoreTimes, round, sleep, summarizeHistograms } from './common';
import type { ConnectResult, PhaseResult, SendResult, SendTarget } from './generator';
import { evaluate, renderMarkdown, renderSvg } from './report';
import type { BenchResult, Profile, SystemName, TrafficRow } from './results';
import { hasTaskset, RpcChild } from './rpc';
import type { MemorySample, ServerInfo, ServerWindow } from './server-process';
import { runSpa } from './spa';
import { runSystemD, type SystemDParams } from './system-d';

export const PROFILES: Record<Profile['name'], Profile> = {
  tiny: {
    name: 'tiny',
    clients: 20,
    realClients: 2,
    latencyRate: 20,
    latencySeconds: 1,
    payloads: [200],
    stepRates: [],
    stepSeconds: 1,
    repeats: 1,
    idle: [0, 20],
    generators: 2,
  },
  quick: {
    name: 'quick',
    clients: 1000,
    realClients: 20,
    latencyRate: 20,
    latencySeconds: 5,
    payloads: [200],
    stepRates: [20, 40, 60, 80, 100],
    stepSeconds: 3,
    repeats: 2,
    idle: [0, 1000, 5000],
    generators: 4,
    d: { receivers: 200, senders: 40, rates: [20, 50, 100], seconds: 5 },
  },
  full: {
    name: 'full',
    clients: 1000,
    realClients: 50,
    latencyRate: 20,
    latencySeconds: 30,
    payloads: [200, 2048],
    stepRates: [20, 40, 60, 80, 100, 120, 150],
    stepSeconds: 10,
    repeats: 3,
    idle: [0, 1000, 5000],
    generators: 4,
    d: { receivers: 1000, senders: 100, rates: [20, 40, 60, 80, 100, 130, 160, 200], seconds: 10 },
  },
};

/** A generator busier than this (percent of its core) may be what limits the numbers: void. */
export const GENERATOR_SATURATED_PERCENT = 90;
const P99_LIMIT_MS = 1000;
const DRAIN_TIMEOUT_MS = 10_000;
const DIST = __dirname;

function machine(): Record<string, string | number | boolean> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    date: new Date().toISOString(),
    taskset: hasTaskset(),
    loadAverageAtStart: os
      .loadavg()
      .map((l) => round(l, 2))
      .join(' / '),
  };
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

function startServer(kind: 'a' | 'b'): RpcChild {
  const nodeArgs = ['--expose-gc'];
  // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of each server process there (bench/README.md, "How it is measured").
  const profileDir = process.env['BENCH_CPU_PROF'];
  if (profileDir)
    nodeArgs.push(
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      `--cpu-prof-name=server-${kind}-${Date.now()}.cpuprofile`,
    );
  return RpcChild.start({ script: join(DIST, 'server-process.js'), args: [kind], nodeArgs, cpus: '0' });
}

export function startGenerator(): RpcChild {
  return RpcChild.start({ script: join(DIST, 'generator-process.js'), cpus: '1' });
}

interface Gen {
  child: RpcChild;
  clients: number;
  system: SystemName;
}

let phaseCounter = 1;

/**
 * Work on our cores that is not ours (other people's tests on the shared machine, kernel softirq):
 * a note for the row, not a reason to void it (validity is about our own generator processes).
 */
function contention(cores: CoreUse[], generatorsPercent: number, serverPercent: number): string | undefined {
  const [c0, c1] = cores;
  if (!c0 || !c1) return undefined;
  const other0 = Math.max(0, c0.busy - serverPercent);
  const other1 = Math.max(0, c1.busy - generatorsPercent);
  if (c0.busy <= GENERATOR_SATURATED_PERCENT && c1.busy <= GENERATOR_SATURATED_PERCENT) return undefined;
  return `core 0 ${c0.busy}% busy (${round(other0, 0)}% not ours), core 1 ${c1.busy}% (${round(other1, 0)}% not ours)`;
}

/** Adds up the CPU windows of several processes (percent stays "of one core"). */
function sumCpu(windows: CpuWindow[]): CpuWindow {
  const wallMs = Math.max(0, ...windows.map((w) => w.wallMs));
  const userMs = windows.reduce((n, w) => n + w.userMs, 0);
  const systemMs = windows.reduce((n, w) => n + w.systemMs, 0);
  return {
    userMs: round(userMs),
    systemMs: round(systemMs),
    wallMs: round(wallMs),
    percent: round(wallMs > 0 ? ((userMs + systemMs) / wallMs) * 100 : 0, 1),
  };
}

/**
 * One measured window: everyone begins, the sender (a process of its own) sends, we wait for the
 * fan-out to drain, everyone ends. The receivers of one system may be spread over several
 * processes; they make one row, with each process's CPU kept.
 */
async function phase(
  server: RpcChild,
  sender: RpcChild,
  gens: Gen[],
  target: SendTarget,
  rate: number,
  seconds: number,
  payloadBytes: number,
  scenario: TrafficRow['scenario'],
): Promise<TrafficRow[]> {
  const id = phaseCounter++;
  await Promise.all([
    server.call('begin'),
    sender.call('begin', { phase: id }),
    ...gens.map((g) => g.child.call('begin', { phase: id })),
  ]);
  const coresBefore = readCoreTimes();
  const sent = await sender.call<SendResult>('send', {
    target,
    phase: id,
    rate,
    durationMs: seconds * 1000,
    payloadBytes,
  });
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const progress = await Promise.all(gens.map((g) => g.child.call<{ received: number }>('progress')));
    if (progress.every((p, i) => p.received >= sent.accepted * gens[i].clients)) break;
    if (Date.now() > deadline) break;
    await sleep(50);
  }
  const cores = coreUse(coresBefore, readCoreTimes());
  const [serverWindow, senderEnd, ...ends] = await Promise.all([
    server.call<ServerWindow>('end'),
    sender.call<PhaseResult>('end'),
    ...gens.map((g) => g.child.call<PhaseResult>('end')),
  ]);
  const processes = [senderEnd.cpu, ...ends.map((e) => e.cpu)];
  const corePercent = round(
    processes.reduce((sum, cpu) => sum + cpu.percent, 0),
    1,
  );
  const busiest = Math.max(...processes.map((cpu) => cpu.percent));
  const totalReceived = ends.reduce((sum, e) => sum + e.received, 0);
  const serverCpuUs = (serverWindow.cpu.userMs + serverWindow.cpu.systemMs) * 1000;
  const usPerDelivery = totalReceived > 0 ? serverCpuUs / totalReceived : 0;
  const connections = gens.reduce((n, g) => n + g.clients, 0);
  const systems = [...new Set(gens.map((g) => g.system))];
  return systems.map((system, index) => {
    const mine = gens.map((g, i) => ({ g, end: ends[i] })).filter((x) => x.g.system === system);
    const clients = mine.reduce((n, x) => n + x.g.clients, 0);
    const received = mine.reduce((n, x) => n + x.end.received, 0);
    const expected = sent.accepted * clients;
    const lost = Math.max(0, expected - received);
    const cpu = sumCpu(mine.map((x) => x.end.cpu));
    const reasons: string[] = [];
    if (corePercent > GENERATOR_SATURATED_PERCENT) reasons.push(`generators at ${corePercent}% of their core`);
    if (busiest > GENERATOR_SATURATED_PERCENT) reasons.push(`one generator process at ${busiest}%`);
    if (sent.accepted < sent.attempted) reasons.push(`${sent.attempted - sent.accepted} sends not accepted`);
    return {
      system,
      scenario,
      payloadBytes,
      connections: index === 0 ? connections : clients,
      offeredBroadcastsPerSecond: rate,
      sent,
      expected,
      received,
      lost,
      deliveredPerSecond: round((received / cpu.wallMs) * 1000, 0),
      latency: summarizeHistograms(mine.map((x) => x.end.histogram)),
      server:
        index === 0
          ? {
              ...serverWindow,
              usPerDelivery: round(usPerDelivery, 2),
              capacityPerSecond: usPerDelivery > 0 ? round(1e6 / usPerDelivery, 0) : 0,
            }
          : undefined,
      generator: cpu,
      generatorProcesses: index === 0 ? processes.map((p) => p.percent) : mine.map((x) => x.end.cpu.percent),
      generatorCorePercent: corePercent,
      cores,
      void: reasons.length > 0,
      voidReason: reasons.length ? reasons.join('; ') : undefined,
      contended: contention(cores, corePercent, serverWindow.cpu.percent),
    } satisfies TrafficRow;
  });
}

function describe(row: TrafficRow): string {
  return (
    `${row.system} ${row.scenario} ${row.offeredBroadcastsPerSecond}/s ${row.payloadBytes}B: ` +
    `${row.received}/${row.expected} delivered (${row.deliveredPerSecond}/s), lost ${row.lost}, ` +
    `p50 ${row.latency.p50} p99 ${row.latency.p99} max ${row.latency.max} ms` +
    (row.server ? `, server ${row.server.cpu.percent}% ${row.server.usPerDelivery} µs/msg` : '') +
    `, gen ${row.generator.percent}% [${row.generatorProcesses?.join(' ') ?? ''}], cores ${row.cores.map((c) => `${c.busy}%(si ${c.softirq} st ${c.steal})`).join(' ')}` +
    `${row.void ? ` VOID (${row.voidReason})` : ''}${row.contended ? ` contended: ${row.contended}` : ''}`
  );
}

async function memorySeries(system: 'A' | 'B', profile: Profile, result: BenchResult): Promise<void> {
  const server = startServer(system === 'A' ? 'a' : 'b');
  const gen = startGenerator();
  try {
    await Promise.all([server.ready, gen.ready]);
    const info = await server.call<ServerInfo>('info');
    const kind: ClientKind = system === 'A' ? 'raw' : 'signalr-raw';
    let held = 0;
    for (const target of profile.idle) {
      let connect: ConnectResult | undefined;
      if (target > held) {
        connect = await gen.call<ConnectResult>('connect', {
          kind,
          url: info.url,
          count: target - held,
          userPrefix: 'idle',
        });
        held += connect.connected;
        result.connects.push({ system, result: connect });
        log(
          `${system} connected ${connect.connected}/${connect.requested} in ${connect.ms} ms (${connect.perSecond}/s)`,
        );
        await sleep(500);
      }
      const memory = await server.call<MemorySample>('memory');
      result.memory.push({ system, connections: held, memory, connect });
      log(
        `${system} idle ${held}: heap ${(memory.heapUsed / 1e6).toFixed(1)} MB, rss ${(memory.rss / 1e6).toFixed(1)} MB`,
      );
    }
    await gen.call('closeAll');
  } finally {
    await Promise.all([gen.stop(), server.stop()]);
  }
}

interface SystemSetup {
  system: 'A' | 'B';
  server: RpcChild;
  /** The process that sends the broadcasts; it holds no receivers. */
  sender: RpcChild;
  gens: Gen[];
  target: SendTarget;
  /** Set when its step series has stopped (p99 over 1 s or losses). */
  stopped: boolean;
}

async function setUp(system: 'A' | 'B', profile: Profile, result: BenchResult): Promise<SystemSetup> {
  const server = startServer(system === 'A' ? 'a' : 'b');
  const sender = startGenerator();
  const receivers = Array.from({ length: Math.max(1, profile.generators) }, () => startGenerator());
  const real = system === 'B' && profile.realClients > 0 ? startGenerator() : undefined;
  await Promise.all([server.ready, sender.ready, ...receivers.map((r) => r.ready), real?.ready]);
  const info = await server.call<ServerInfo>('info');
  const rawCount = profile.clients - (real ? profile.realClients : 0);
  const gens: Gen[] = [];
  // Clients spread evenly over the receiver processes, connected one process after the other.
  let connected = 0;
  let failed = 0;
  let ms = 0;
  let firstError: string | undefined;
  for (const [i, child] of receivers.entries()) {
    const count = Math.floor(rawCount / receivers.length) + (i < rawCount % receivers.length ? 1 : 0);
    const c = await child.call<ConnectResult>('connect', {
      kind: system === 'A' ? 'raw' : 'signalr-raw',
      url: info.url,
      count,
      userPrefix: `raw${i}-`,
    });
    connected += c.connected;
    failed += c.failed;
    ms += c.ms;
    firstError ??= c.firstError;
    gens.push({ child, clients: c.connected, system });
  }
  const connect: ConnectResult = {
    requested: rawCount,
    connected,
    failed,
    ms: round(ms),
    perSecond: round((connected / Math.max(ms, 1)) * 1000, 1),
    firstError,
    total: connected,
  };
  result.connects.push({ system, result: connect });
  log(
    `${system} connected ${connected}/${rawCount} over ${receivers.length} processes${firstError ? ` (${firstError})` : ''}`,
  );
  if (real) {
    const c = await real.call<ConnectResult>('connect', {
      kind: 'signalr-real',
      url: info.url,
      count: profile.realClients,
      concurrency: 10,
      userPrefix: 'real',
    });
    result.connects.push({ system: 'C', result: c });
    gens.push({ child: real, clients: c.connected, system: 'C' });
    log(`C connected ${c.connected}/${c.requested}${c.firstError ? ` (${c.firstError})` : ''}`);
  }
  const target: SendTarget = system === 'A' ? { kind: 'raw', url: info.url } : { kind: 'rest', url: info.url };
  return { system, server, sender, gens, target, stopped: false };
}

async function tearDown(setup: SystemSetup): Promise<void> {
  await Promise.all(setup.gens.map((g) => g.child.call('closeAll').catch(() => undefined)));
  await Promise.all([...setup.gens.map((g) => g.child.stop()), setup.sender.stop(), setup.server.stop()]);
}

/**
 * A and B (with C) are up at the same time, each with its own server and generators, and their
 * windows alternate (AB, then BA on the next repeat), so whatever else the shared machine is doing
 * hits both alike.
 */
async function trafficSeries(profile: Profile, systems: readonly ('A' | 'B')[], result: BenchResult): Promise<void> {
  const setups: SystemSetup[] = [];
  try {
    for (const system of systems) setups.push(await setUp(system, profile, result));
    const measure = async (
      rate: number,
      seconds: number,
      payload: number,
      scenario: TrafficRow['scenario'],
      record: boolean,
    ): Promise<void> => {
      const mains = new Map<SystemSetup, TrafficRow[]>();
      for (let repeat = 0; repeat < (record ? profile.repeats : 1); repeat++) {
        const order = repeat % 2 === 0 ? setups : [...setups].reverse();
        for (const setup of order) {
          if (setup.stopped) continue;
          const rows = await phase(
            setup.server,
            setup.sender,
            setup.gens,
            setup.target,
            rate,
            seconds,
            payload,
            scenario,
          );
          if (!record) continue;
          rows.forEach((r) => {
            r.repeat = repeat;
            log(describe(r));
          });
          result.traffic.push(...rows);
          mains.set(setup, [...(mains.get(setup) ?? []), rows[0]]);
        }
      }
      if (scenario !== 'step') return;
      // Stop a series when even its best repeat is over the limit, or anything was lost.
      for (const [setup, rows] of mains) {
        const bestP99 = Math.min(...rows.map((r) => r.latency.p99));
        if (bestP99 > P99_LIMIT_MS || rows.some((r) => r.lost > 0)) {
          log(`${setup.system}: stopping the steps (p99 over 1 s or losses)`);
          setup.stopped = true;
        }
      }
    };
    // Warm-up (JIT, HTTP keep-alive pools), not reported.
    await measure(profile.latencyRate, 1, 200, 'latency', false);
    for (const payload of profile.payloads) {
      await measure(profile.latencyRate, profile.latencySeconds, payload, 'latency', true);
    }
    for (const rate of profile.stepRates) await measure(rate, profile.stepSeconds, 200, 'step', true);
  } finally {
    await Promise.all(setups.map(tearDown));
  }
}

function parseProfile(argv: string[]): Profile {
  if (argv.includes('--full')) return PROFILES.full;
  if (argv.includes('--tiny')) return PROFILES.tiny;
  return PROFILES.quick;
}

/**
 * `--d-rates=20,40,60`, `--d-receivers=100`, `--d-seconds=5`: a shorter D run than the profile's
 * (e.g. to reproduce one step on a shared machine); `--d-through`: on past a step with p99 over 1 s.
 */
function dOptions(argv: string[]): Partial<SystemDParams> {
  const value = (name: string) => argv.find((a) => a.startsWith(`--d-${name}=`))?.slice(`--d-${name}=`.length);
  const rates = value('rates');
  const receivers = value('receivers');
  const seconds = value('seconds');
  return {
    ...(rates && { rates: rates.split(',').map(Number) }),
    ...(receivers && { receivers: Number(receivers) }),
    ...(seconds && { seconds: Number(seconds) }),
    ...(argv.includes('--d-through') && { through: true }),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const profile = parseProfile(argv);
  // `--spa-only`: the SPA profile alone (loads compressed and not, loopback and slow mobile; scrolling), into results/spa.*.
  const spaOnly = argv.includes('--spa-only');
  // `--out=<name>`: results/<name>.* instead of the profile's files (a short run keeps the saved ones).
  const resultName =
    argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? (spaOnly ? 'spa' : profile.name);
  if (spaOnly) argv.push('--spa', '--no-memory', '--no-traffic', '--no-d');
  if (argv.includes('--search')) {
    // The search profile alone (bench/search.ts): results/search.* (quick) or results/search-full.* (`--full`).
    const { runSearchBench, renderSearchMarkdown, SEARCH_PROFILES } = await import('./search.js');
    const profile = SEARCH_PROFILES[argv.includes('--full') ? 'full' : 'quick'];
    const result = await runSearchBench(profile, resolve(DIST, '..', '..'), log);
    const base = join(resolve(DIST, '..', '..', 'bench', 'results'), profile.name);
    await writeFile(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
    await writeFile(`${base}.md`, renderSearchMarkdown(result));
    log(`wrote ${base}.json and .md`);
    return;
  }
  if (argv.includes('--rerender')) {
    // Rewrites the summary and chart from the saved JSON (after a change to the report only).
    const base = join(resolve(DIST, '..', '..', 'bench', 'results'), resultName);
    const saved = JSON.parse(await readFile(`${base}.json`, 'utf8')) as BenchResult;
    saved.targets = evaluate(saved);
    await writeFile(`${base}.json`, JSON.stringify(saved, null, 2) + '\n');
    await writeFile(`${base}.md`, renderMarkdown(saved));
    await writeFile(`${base}.svg`, renderSvg(saved));
    log(`rewrote ${base}.md and .svg`);
    return;
  }
  const skipD = argv.includes('--no-d');
  const started = Date.now();
  const result: BenchResult = {
    profile,
    machine: machine(),
    startedAt: new Date().toISOString(),
    durationSeconds: 0,
    connects: [],
    traffic: [],
    memory: [],
    notes: [],
  };
  if (!hasTaskset()) result.notes.push('taskset is missing: servers and generators were not pinned to cores.');
  log(`profile ${profile.name} on ${result.machine['cpuModel']} x${result.machine['cores']}, node ${process.version}`);

  const only = argv.find((a) => a.startsWith('--systems='))?.slice('--systems='.length);
  const systems = (['A', 'B'] as const).filter((s) => !only || only.includes(s));
  if (!argv.includes('--no-memory')) for (const system of systems) await memorySeries(system, profile, result);
  if (!argv.includes('--no-traffic')) await trafficSeries(profile, systems, result);
  if (profile.d && !skipD && (!only || only.includes('D'))) {
    try {
      const d = await runSystemD(
        { ...profile.d, generators: profile.generators, ...dOptions(argv) },
        resolve(DIST, '..', '..'),
        log,
      );
      result.d = d.windows;
      result.dBreakdown = d.breakdown;
    } catch (error) {
      result.notes.push(`System D failed: ${error instanceof Error ? error.message : String(error)}`);
      log(`D failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  if ((profile.name === 'full' || argv.includes('--spa')) && !argv.includes('--no-spa')) {
    try {
      result.spa = await runSpa(resolve(DIST, '..', '..'), log);
    } catch (error) {
      result.notes.push(`SPA measurement failed: ${error instanceof Error ? error.message : String(error)}`);
      log(`SPA failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  result.durationSeconds = round((Date.now() - started) / 1000, 1);
  result.machine['loadAverageAtEnd'] = os
    .loadavg()
    .map((l) => round(l, 2))
    .join(' / ');
  result.targets = evaluate(result);
  const dir = resolve(DIST, '..', '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const base = join(dir, resultName);
  await writeFile(`${base}.json`, JSON.stringify(result, null, 2) + '\n');
  await writeFile(`${base}.md`, renderMarkdown(result));
  await writeFile(`${base}.svg`, renderSvg(result));
  log(`wrote ${base}.json, .md and .svg in ${result.durationSeconds} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

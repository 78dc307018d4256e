/** Targets, the Markdown summary and the SVG chart of a benchmark run. */
import { round } from './common';
import type { BenchResult, MemoryRow, TargetResult, TrafficRow } from './results';
import type { SystemDResult } from './system-d';

const MAIN_SYSTEMS = new Set(['A', 'B']);

/**
 * One row per (system, scenario, payload, rate): of its repeats, the one with the median p99
 * (the lower median for an even count). Order of first appearance is kept.
 */
export function representative(rows: TrafficRow[]): TrafficRow[] {
  const groups = new Map<string, TrafficRow[]>();
  for (const r of rows) {
    const key = `${r.system}|${r.scenario}|${r.payloadBytes}|${r.offeredBroadcastsPerSecond}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((list) => {
    const sorted = [...list].sort((x, y) => x.latency.p99 - y.latency.p99);
    return sorted[Math.floor((sorted.length - 1) / 2)];
  });
}

function latencyRow(result: BenchResult, system: 'A' | 'B' | 'C', payload = 200): TrafficRow | undefined {
  return representative(result.traffic).find(
    (r) => r.system === system && r.scenario === 'latency' && r.payloadBytes === payload,
  );
}

export interface MemorySlope {
  system: 'A' | 'B';
  /** (at the most connections − at none) / connections. */
  heapPerConnection: number;
  rssPerConnection: number;
  /** Between the last two points (e.g. 1k → 5k), which leaves out one-off costs. */
  heapSlope: number;
  rssSlope: number;
}

export function memorySlopes(rows: MemoryRow[]): MemorySlope[] {
  const out: MemorySlope[] = [];
  for (const system of ['A', 'B'] as const) {
    const points = rows.filter((r) => r.system === system).sort((a, b) => a.connections - b.connections);
    const first = points[0];
    const last = points[points.length - 1];
    const before = points[points.length - 2];
    if (!first || !last || !before || last.connections === first.connections) continue;
    const per = (a: MemoryRow, b: MemoryRow, key: 'heapUsed' | 'rss'): number =>
      round((b.memory[key] - a.memory[key]) / (b.connections - a.connections), 0);
    out.push({
      system,
      heapPerConnection: per(first, last, 'heapUsed'),
      rssPerConnection: per(first, last, 'rss'),
      heapSlope: per(before, last, 'heapUsed'),
      rssSlope: per(before, last, 'rss'),
    });
  }
  return out;
}

export function evaluate(result: BenchResult): TargetResult[] {
  const targets: TargetResult[] = [];

  // 1a. Server CPU per delivery, pooled over every valid window: B ≤ 1.1 × A.
  const pooledA = pooledCapacity(result, 'A');
  const pooledB = pooledCapacity(result, 'B');
  if (!pooledA || !pooledB) {
    targets.push({
      id: '1a',
      goal: 'server CPU per delivery at 1,000 connections: B ≤ 1.1 × A',
      measured: 'no valid window',
      pass: 'void',
    });
  } else {
    const ratio = pooledB.us / pooledA.us;
    targets.push({
      id: '1a',
      goal: 'server CPU per delivery at 1,000 connections (pooled over every valid window): B ≤ 1.1 × A',
      measured: `B ${pooledB.us} µs vs A ${pooledA.us} µs = ${round(ratio)}× (capacity of one core B ${pooledB.capacity}/s, A ${pooledA.capacity}/s)`,
      pass: ratio <= 1.1,
    });
  }

  // 1b/1c. p99 at 20 broadcasts/s × 1,000 connections: B ≤ 1.2 × A, for each payload; nothing lost.
  for (const [id, payload] of [
    ['1b', 200],
    ['1c', 2048],
  ] as const) {
    const la = latencyRow(result, 'A', payload);
    const lb = latencyRow(result, 'B', payload);
    if (!la || !lb) continue;
    const lost = result.traffic
      .filter((r) => r.scenario === 'latency' && r.payloadBytes === payload && r.system !== 'A')
      .reduce((n, r) => n + r.lost, 0);
    const ratio = la.latency.p99 > 0 ? lb.latency.p99 / la.latency.p99 : Infinity;
    targets.push({
      id,
      goal: `p99 at ${lb.offeredBroadcastsPerSecond} broadcasts/s × ${lb.connections} connections, ${payload} B: B ≤ 1.2 × A, 0 lost`,
      measured: `p50/p90/p99/max B ${fmtLat(lb)} ms, A ${fmtLat(la)} ms; p99 ratio ${round(ratio)}; lost B+C ${lost} (all repeats), A ${la.lost}`,
      pass: la.void || lb.void ? 'void' : ratio <= 1.2 && lost === 0 && la.lost === 0,
    });
  }

  // 1d. Heap per idle connection: B ≤ 1.3 × A.
  const slopes = memorySlopes(result.memory);
  const ma = slopes.find((s) => s.system === 'A');
  const mb = slopes.find((s) => s.system === 'B');
  if (ma && mb) {
    const n = Math.max(...result.memory.map((r) => r.connections));
    targets.push({
      id: '1d',
      goal: `heap per idle connection (0 → ${n}, after GC): B ≤ 1.3 × A`,
      measured:
        `B ${mb.heapPerConnection} B vs A ${ma.heapPerConnection} B = ${round(mb.heapPerConnection / ma.heapPerConnection)}× ` +
        `(RSS B ${mb.rssPerConnection} B, A ${ma.rssPerConnection} B)`,
      pass: mb.heapPerConnection <= 1.3 * ma.heapPerConnection,
    });
  }

  // 2. The generator is not the limit: steps up to 100 broadcasts/s × 1,000 connections valid.
  const steps = representative(result.traffic).filter((r) => r.scenario === 'step' && MAIN_SYSTEMS.has(r.system));
  if (steps.length) {
    const rates = [...new Set(steps.map((r) => r.offeredBroadcastsPerSecond))].sort((x, y) => x - y);
    const validUpTo = (system: string): number => {
      let top = 0;
      for (const rate of rates) {
        const row = steps.find((r) => r.system === system && r.offeredBroadcastsPerSecond === rate);
        if (!row || row.void) break;
        top = rate;
      }
      return top;
    };
    const va = validUpTo('A');
    const vb = validUpTo('B');
    const generatorAt = (system: string, rate: number): string => {
      const row = steps.find((r) => r.system === system && r.offeredBroadcastsPerSecond === rate);
      return row
        ? `${row.generatorCorePercent}% (busiest process ${Math.max(...(row.generatorProcesses ?? [0]))}%)`
        : '–';
    };
    targets.push({
      id: '2',
      goal: `load generator not the bottleneck (clients over ${result.profile.generators} processes): steps valid up to ≥ 100 broadcasts/s × 1,000`,
      measured: `every step valid up to A ${va}/s, B ${vb}/s; generator core at 100/s: A ${generatorAt('A', 100)}, B ${generatorAt('B', 100)}`,
      pass: Math.min(va, vb) >= 100,
    });
  }

  // 3. D's capacity: the highest offered rate with p99 ≤ 1 s and nothing lost.
  if (result.d?.length) {
    const ok = result.d.filter((d) => d.latency.p99 <= 1000 && d.lost === 0 && d.sent.accepted === d.sent.attempted);
    const best = ok[ok.length - 1];
    const last = result.d[result.d.length - 1];
    targets.push({
      id: '3',
      goal: 'D (POST /api/messages → host → Azurite → emulator → receivers): capacity curve to p99 > 1 s or a loss',
      measured:
        (best
          ? `sustained ${best.rate} msg/s × ${best.connect.connected} receivers (${best.deliveredPerSecond} deliveries/s), p99 ${best.latency.p99} ms, HTTP p99 ${best.sent.requestMs.p99} ms`
          : 'no rate sustained') +
        (last !== best
          ? `; at ${last.rate} msg/s p99 ${last.latency.p99} ms, lost ${last.lost}, ${last.sent.attempted - last.sent.accepted} refused`
          : '; the series never broke'),
      pass: best !== undefined,
    });
  }
  // 4. The SPA.
  if (result.spa) {
    const spa = result.spa;
    // The compressed loopback loads (older results have no encoding or network: those are theirs).
    const plain = spa.loads.filter(
      (l) => (l.encoding ?? 'compressed') === 'compressed' && (l.network ?? 'loopback') === 'loopback',
    );
    const cold = plain.find((l) => l.cache === 'cold');
    const warm = plain.filter((l) => l.cache === 'warm').pop();
    const work = spa.scroll.frameWorkMs;
    targets.push({
      id: '4',
      goal: 'SPA: p95 frame under 16 ms scrolling a 10,000-message room; initial transfer under 110 kB',
      measured:
        `newest shown cold ${cold?.newestShownMs ?? '–'} ms, warm ${warm?.newestShownMs ?? '–'} ms; frame work p95 ${work.p95} ms, ` +
        `interval p95 ${spa.scroll.frameMs.p95} ms; JS heap after ${spa.scroll.messagesScrolled} messages ${kb(spa.heapAfterScrollBytes)} MB; ` +
        `initial ${round((cold?.initialBrotliBytes ?? 0) / 1000, 1)} kB brotli (${round((cold?.initialTransferBytes ?? 0) / 1000, 1)} kB as the local host serves it, uncompressed)`,
      pass: work.p95 < 16 && spa.scroll.frameMs.p95 <= 16.7 + 0.5 && (cold?.initialBrotliBytes ?? Infinity) < 110_000,
    });
    if (spa.compression) {
      const { coldBytesRatio, slowNewestShownRatio } = spa.compression;
      targets.push({
        id: '4b',
        goal: 'The app as Azure serves it (spa function, brotli/gzip by Accept-Encoding): cold bytes over the wire ≤ 0.35× of uncompressed; newest message shown ≤ 0.5× under the slow mobile profile',
        measured: `cold bytes ${coldBytesRatio}×, newest shown cold at slow mobile ${slowNewestShownRatio}×`,
        pass: coldBytesRatio > 0 && coldBytesRatio <= 0.35 && slowNewestShownRatio > 0 && slowNewestShownRatio <= 0.5,
      });
    }
  }
  return targets;
}

/** Core use not explained by our own pinned processes: other work on the shared machine, softirq. */
function otherLoad(r: TrafficRow): string {
  if (!r.server) return '–';
  const server = result0(r);
  const [c0, c1] = r.cores;
  if (!c0 || !c1) return '–';
  const o0 = Math.max(0, c0.busy - server);
  const o1 = Math.max(0, c1.busy - r.generatorCorePercent);
  return `${round(o0, 0)} / ${round(o1, 0)}`;
}

function result0(r: TrafficRow): number {
  return r.server?.cpu.percent ?? 0;
}

/** Server CPU per delivered message over every valid window of a system (all repeats). */
export function pooledCapacity(result: BenchResult, system: 'A' | 'B'): { us: number; capacity: number } | undefined {
  let cpuMs = 0;
  let delivered = 0;
  for (const r of result.traffic) {
    if (r.system !== system || r.void || !r.server) continue;
    cpuMs += r.server.cpu.userMs + r.server.cpu.systemMs;
    delivered += r.received;
  }
  if (!delivered) return undefined;
  const us = (cpuMs * 1000) / delivered;
  return { us: round(us), capacity: round(1e6 / us, 0) };
}

function fmtLat(row: TrafficRow): string {
  const l = row.latency;
  return `${l.p50}/${l.p90}/${l.p99}/${l.max}`;
}

function kb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function passText(pass: TargetResult['pass']): string {
  return pass === 'void' ? 'VOID' : pass ? '**PASS**' : '**FAIL**';
}

export function renderMarkdown(result: BenchResult): string {
  const m = result.machine;
  const lines: string[] = [];
  lines.push(`# SignalR emulator benchmark — ${result.profile.name} profile`);
  lines.push('');
  lines.push(
    `Machine: ${m['cpuModel']}, ${m['cores']} cores, ${m['memoryGiB']} GiB, ${m['platform']}; Node ${m['node']}; ` +
      `${m['date']}; pinned with taskset: ${m['taskset'] ? 'yes (servers core 0, generators core 1)' : 'no'}. ` +
      `Run took ${result.durationSeconds} s. Load average (1 / 5 / 15 min) at start ${m['loadAverageAtStart'] ?? '–'}, ` +
      `at end ${m['loadAverageAtEnd'] ?? '–'}: the machine is shared, see "other load" per row.`,
  );
  lines.push('');
  lines.push(
    'A = raw `ws` server writing one pre-framed buffer to every socket; B = our emulator, raw SignalR JSON clients, ' +
      'broadcast through its REST API; C = real `@microsoft/signalr` clients inside B’s run; D = POST /api/messages ' +
      'through the local Functions host and Azurite. Latency: sender stamps CLOCK_MONOTONIC µs in the payload, ' +
      'receivers subtract. A row is VOID when our generator processes together (or any one of them) used more than 90 % of ' +
      'their core; a row whose cores were over 90 % busy with other work is marked contended.',
  );
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| # | target | measured | result |');
  lines.push('|---|---|---|---|');
  for (const t of evaluate(result)) lines.push(`| ${t.id} | ${t.goal} | ${t.measured} | ${passText(t.pass)} |`);
  lines.push('');

  lines.push(`## Broadcast traffic (median-p99 repeat of ${result.profile.repeats}; every repeat is in the JSON)`);
  lines.push('');
  lines.push(
    '| system | scenario | payload B | conns | offered bcast/s | sent ok | delivered/s | lost | p50 ms | p90 ms | p99 ms | max ms | server CPU % | server µs/delivery | server capacity/s | server loop delay p99 ms | generator CPU % (all on core; per process, sender first) | other load core 0 / 1 % | valid |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of representative(result.traffic)) {
    const s = r.server;
    lines.push(
      `| ${r.system} | ${r.scenario} | ${r.payloadBytes} | ${r.connections} | ${r.offeredBroadcastsPerSecond} | ` +
        `${r.sent.accepted}/${r.sent.attempted} | ${r.deliveredPerSecond} | ${r.lost} | ${r.latency.p50} | ${r.latency.p90} | ` +
        `${r.latency.p99} | ${r.latency.max} | ${s ? s.cpu.percent : '–'} | ${s ? s.usPerDelivery : '–'} | ` +
        `${s ? s.capacityPerSecond : '–'} | ${s ? s.eventLoopDelayMs.p99 : '–'} | ${r.generator.percent} (${r.generatorCorePercent}; ${(r.generatorProcesses ?? []).join(' / ')}) | ` +
        `${otherLoad(r)} | ` +
        `${r.void ? `VOID: ${r.voidReason}` : r.contended ? `yes (contended: ${r.contended})` : 'yes'} |`,
    );
  }
  lines.push('');
  lines.push(
    'C rows are the real clients of the B row above them (same broadcasts); their generator shares core 1. ' +
      '"server capacity/s" = 1 / (server CPU per delivered message): the ceiling one core would reach.',
  );
  lines.push('');

  const chart = asciiChart(result);
  if (chart) {
    lines.push('## Delivered messages/s by offered broadcast rate (1,000 connections, 200 B)');
    lines.push('');
    lines.push('```');
    lines.push(...chart);
    lines.push('```');
    lines.push('');
  }

  lines.push('## Idle connections (after forced GC in the server)');
  lines.push('');
  lines.push('| system | connections | heap used MB | RSS MB | connect rate /s | connect failures |');
  lines.push('|---|---|---|---|---|---|');
  for (const r of result.memory) {
    lines.push(
      `| ${r.system} | ${r.connections} | ${kb(r.memory.heapUsed)} | ${kb(r.memory.rss)} | ` +
        `${r.connect ? r.connect.perSecond : '–'} | ${r.connect ? r.connect.failed : '–'} |`,
    );
  }
  lines.push('');
  lines.push(
    '| system | heap B/conn (0→max) | RSS B/conn (0→max) | heap slope B/conn (last step) | RSS slope B/conn (last step) |',
  );
  lines.push('|---|---|---|---|---|');
  for (const s of memorySlopes(result.memory)) {
    lines.push(`| ${s.system} | ${s.heapPerConnection} | ${s.rssPerConnection} | ${s.heapSlope} | ${s.rssSlope} |`);
  }
  lines.push('');

  lines.push('## Connects');
  lines.push('');
  lines.push('| system | requested | connected | failed | ms | per second | first error |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const c of result.connects) {
    const r = c.result;
    lines.push(
      `| ${c.system} | ${r.requested} | ${r.connected} | ${r.failed} | ${r.ms} | ${r.perSecond} | ${r.firstError ?? ''} |`,
    );
  }
  lines.push('');

  if (result.d?.length) {
    lines.push('## D: POST /api/messages → Functions host → Azurite → emulator → clients (capacity curve)');
    lines.push('');
    lines.push(
      'Each row a window at one offered rate, stepped up until p99 passes 1 s or a message is lost. ' +
        '"CPU ms/msg" is what each stack process spent per accepted message: the Functions host (HTTP, auth, ' +
        'validation, Table Storage calls, output binding), Azurite (the storage round trips) and the emulator ' +
        '(REST call + fan-out to every receiver).',
    );
    lines.push('');
    // A column per HTTP status any step got (201 and 500 always shown: a 500 is what must not happen).
    const codes = [...new Set(['201', '500', ...result.d.flatMap((d) => Object.keys(d.sent.statuses))])].sort();
    lines.push(
      '| offered msg/s | receivers | senders | accepted/sent | ' +
        codes.map((code) => `HTTP ${code}`).join(' | ') +
        ' | delivered/s | lost | p50 ms | p90 ms | p99 ms | max ms | HTTP p50/p99 ms | stack CPU % | core 0 / 1 busy % (other load 0) | CPU ms/msg | host CPU ms/msg | generator CPU % (sender, receivers) | valid |',
    );
    lines.push(`|${'---|'.repeat(17 + codes.length)}`);
    for (const d of result.d) {
      const stackSum = Object.values(d.serverPercent).reduce((n, v) => n + v, 0);
      const c = d.cores ?? [];
      const coreText =
        c.length >= 2 ? `${c[0]?.busy} / ${c[1]?.busy} (${round(Math.max(0, (c[0]?.busy ?? 0) - stackSum), 0)})` : '–';
      const cpu = Object.entries(d.cpuMsPerMessage ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const stack = Object.entries(d.serverPercent)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      lines.push(
        `| ${d.rate} | ${d.connect.connected} | ${d.senders} | ${d.sent.accepted}/${d.sent.attempted} | ` +
          codes.map((code) => String(d.sent.statuses[code] ?? 0)).join(' | ') +
          ` | ${d.deliveredPerSecond} | ${d.lost} | ${d.latency.p50} | ${d.latency.p90} | ${d.latency.p99} | ` +
          `${d.latency.max} | ${d.sent.requestMs.p50}/${d.sent.requestMs.p99} | ${stack} | ${coreText} | ${cpu} | ` +
          `${d.cpuMsPerMessage?.['functions'] ?? '–'} | ${(d.generatorProcesses ?? []).join(' / ')} | ` +
          `${d.void ? `VOID: ${d.voidReason}` : 'yes'} |`,
      );
      for (const [line, count] of Object.entries(d.hostFailures ?? {})) {
        lines.push(`|  | host log ×${count}: \`${line.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`);
      }
    }
    lines.push('');
  }
  if (result.dBreakdown) {
    const b = result.dBreakdown;
    const low = result.d?.[0];
    lines.push('### Where one D message’s time goes (pieces measured alone, sequentially; median / p99 ms)');
    lines.push('');
    lines.push('| piece | median ms | p99 ms |');
    lines.push('|---|---|---|');
    const row = (name: string, l: { p50: number; p99: number }): void => {
      lines.push(`| ${name} | ${l.p50} | ${l.p99} |`);
    };
    row('Functions host HTTP + cookie auth (GET /api/me)', b.hostHttpAuthMs);
    row('Table Storage point read (GET entity, Azurite)', b.storageGetMs);
    row('Table Storage conditional replace (PUT with If-Match)', b.storageUpdateMs);
    row('Table Storage entity-group transaction (2 inserts)', b.storageBatchMs);
    row(`SignalR REST send, answered after the fan-out to ${b.receivers} receivers`, b.restSendWithFanOutMs);
    if (low) row(`whole POST /api/messages at ${low.rate} msg/s (HTTP answer)`, low.sent.requestMs);
    lines.push('');
    lines.push('Functions host CPU per accepted message at each D step (its CPU over the step ÷ the 201s):');
    lines.push('');
    for (const d of result.d ?? []) {
      const statuses = Object.entries(d.sent.statuses)
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ');
      lines.push(`- ${d.rate} msg/s: ${d.cpuMsPerMessage?.['functions'] ?? '–'} ms (${statuses})`);
    }
    lines.push('');
    lines.push('Storage round trips of one POST /api/messages to `general`, from functions/:');
    lines.push('');
    for (const t of b.roundTrips) lines.push(`- ${t}`);
    lines.push('');
  }
  if (result.spa) {
    const spa = result.spa;
    lines.push(`## SPA in Chromium (${spa.chromium}, CDP): general room with ${spa.messages} messages`);
    lines.push('');
    lines.push(
      '| network | encoding | load | newest message shown ms | received ms: document / initial files / session / newest page | DOMContentLoaded ms | load ms | bytes over the wire | initial files (as served / brotli) | requests | from cache |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const l of spa.loads) {
      lines.push(
        `| ${l.network ?? 'loopback'} | ${l.encoding ?? 'uncompressed'} | ${l.cache} | ${l.newestShownMs} | ${[l.milestones?.documentMs, l.milestones?.initialFilesMs, l.milestones?.sessionMs, l.milestones?.historyMs].map((ms) => ms ?? '–').join(' / ')} | ${l.domContentLoadedMs} | ${l.loadMs} | ${l.transferBytes} | ${l.initialTransferBytes} / ${l.initialBrotliBytes} | ${l.requests} | ${l.fromCache} |`,
      );
    }
    lines.push('');
    const sc = spa.scroll;
    lines.push(
      `Scrolling back ${sc.messagesScrolled} messages (${sc.seconds} s, ${sc.frames} frames): frame interval p50/p95/max ` +
        `${sc.frameMs.p50}/${sc.frameMs.p95}/${sc.frameMs.max} ms (16.7 = every vsync made), frame work ` +
        `(rAF → after paint) p50/p95/max ${sc.frameWorkMs.p50}/${sc.frameWorkMs.p95}/${sc.frameWorkMs.max} ms, ` +
        `${round(sc.longFrameShare * 100, 1)} % of intervals over 16.7 ms; at most ${sc.maxMessageNodes} message nodes in the DOM. ` +
        `JS heap after GC: ${kb(spa.heapBeforeBytes)} MB before, ${kb(spa.heapAfterScrollBytes)} MB after scrolling; ` +
        `${spa.domNodesAfterScroll} DOM elements.`,
    );
    for (const n of spa.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  if (result.notes.length) {
    lines.push('## Notes');
    lines.push('');
    for (const n of result.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  return lines.join('\n');
}

function asciiChart(result: BenchResult): string[] | undefined {
  const rows = representative(result.traffic).filter((r) => r.scenario === 'step' && MAIN_SYSTEMS.has(r.system));
  if (!rows.length) return undefined;
  const max = Math.max(...rows.map((r) => r.deliveredPerSecond), 1);
  const width = 50;
  const out: string[] = [];
  const rates = [...new Set(rows.map((r) => r.offeredBroadcastsPerSecond))].sort((x, y) => x - y);
  for (const rate of rates) {
    for (const system of ['A', 'B']) {
      const r = rows.find((x) => x.system === system && x.offeredBroadcastsPerSecond === rate);
      if (!r) continue;
      const bar = '#'.repeat(Math.round((r.deliveredPerSecond / max) * width));
      out.push(
        `${String(rate).padStart(4)}/s ${system} |${bar.padEnd(width)}| ${r.deliveredPerSecond}/s p99 ${r.latency.p99} ms${r.void ? ' (void)' : ''}`,
      );
    }
  }
  return out;
}

interface Bar {
  series: string;
  value: number;
  faded?: boolean;
}

/** One bar panel: groups along x (e.g. offered rates), one bar per series in each group. */
function panel(
  parts: string[],
  x0: number,
  y0: number,
  title: string,
  groups: { label: string; bars: Bar[] }[],
  colors: Record<string, string>,
  unit: string,
  xTitle: string,
): void {
  const w = 400;
  const h = 200;
  const all = groups.flatMap((g) => g.bars.map((b) => b.value));
  const max = Math.max(1, ...all);
  parts.push(`<text x="${x0}" y="${y0 - 10}" font-size="12" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(
    `<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#333"/>` +
      `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + h}" stroke="#333"/>`,
  );
  parts.push(`<text x="${x0 - 4}" y="${y0 + 4}" text-anchor="end">${round(max, 0)}</text>`);
  const gw = w / Math.max(1, groups.length);
  groups.forEach((g, i) => {
    const n = Math.max(1, g.bars.length);
    const bw = Math.min(30, (gw - 8) / n);
    const gx = x0 + i * gw + (gw - n * bw) / 2;
    g.bars.forEach((bar, j) => {
      const bh = (bar.value / max) * h;
      parts.push(
        `<rect x="${(gx + j * bw).toFixed(1)}" y="${(y0 + h - bh).toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${colors[bar.series] ?? '#999'}" opacity="${bar.faded ? 0.35 : 1}"><title>${escapeXml(`${bar.series} ${g.label}: ${bar.value}${unit}${bar.faded ? ' (void)' : ''}`)}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${(x0 + i * gw + gw / 2).toFixed(1)}" y="${y0 + h + 14}" text-anchor="middle">${escapeXml(g.label)}</text>`,
    );
  });
  parts.push(`<text x="${x0 + w / 2}" y="${y0 + h + 30}" text-anchor="middle">${escapeXml(xTitle)}</text>`);
}

/**
 * Delivered/s and p99 per offered rate for A and B (broadcast steps) and for D (messages/s through
 * the whole serverless path), and heap and RSS per idle connection for A and B.
 */
export function renderSvg(result: BenchResult): string {
  const rows = representative(result.traffic).filter((r) => r.scenario === 'step' && MAIN_SYSTEMS.has(r.system));
  const rates = [...new Set(rows.map((r) => r.offeredBroadcastsPerSecond))].sort((x, y) => x - y);
  const W = 920;
  const rowH = 290;
  const H = 60 + rowH * 3 + 30;
  const colors: Record<string, string> = {
    A: '#4e79a7',
    B: '#f28e2b',
    D: '#59a14f',
    'A RSS': '#a0cbe8',
    'B RSS': '#ffbe7d',
  };
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(
    `<text x="20" y="22" font-size="14" font-weight="bold">Hubbub bench (${result.profile.name}) — ${escapeXml(String(result.machine['cpuModel']))}, ${result.machine['cores']} cores, Node ${result.machine['node']}, ${escapeXml(String(result.machine['date']).slice(0, 16))}</text>`,
  );
  const stepGroups = (value: (r: TrafficRow) => number) =>
    rates.map((rate) => ({
      label: `${rate}/s`,
      bars: ['A', 'B'].flatMap((system) => {
        const r = rows.find((x) => x.system === system && x.offeredBroadcastsPerSecond === rate);
        return r ? [{ series: system, value: value(r), faded: r.void }] : [];
      }),
    }));
  const x1 = 60;
  const x2 = 60 + 460;
  let y = 70;
  panel(
    parts,
    x1,
    y,
    `A raw ws vs B emulator, ${result.profile.clients} connections, 200 B: delivered/s`,
    stepGroups((r) => r.deliveredPerSecond),
    colors,
    '/s',
    'offered broadcasts per second',
  );
  panel(
    parts,
    x2,
    y,
    'p99 latency (ms)',
    stepGroups((r) => r.latency.p99),
    colors,
    ' ms',
    'offered broadcasts per second',
  );
  y += rowH;
  const d = result.d ?? [];
  const dGroups = (value: (x: SystemDResult) => number) =>
    d.map((x) => ({ label: `${x.rate}/s`, bars: [{ series: 'D', value: value(x), faded: x.void }] }));
  const receivers = d[0]?.connect.connected ?? 0;
  panel(
    parts,
    x1,
    y,
    `D POST /api/messages → … → ${receivers} receivers: delivered/s`,
    dGroups((x) => x.deliveredPerSecond),
    colors,
    '/s',
    'offered messages per second',
  );
  panel(
    parts,
    x2,
    y,
    'D p99 latency (ms)',
    dGroups((x) => x.latency.p99),
    colors,
    ' ms',
    'offered messages per second',
  );
  y += rowH;
  const slopes = memorySlopes(result.memory);
  const n = Math.max(0, ...result.memory.map((r) => r.connections));
  panel(
    parts,
    x1,
    y,
    `Memory per idle connection, 0 → ${n} (bytes)`,
    [
      { label: 'heap', bars: slopes.map((m) => ({ series: m.system, value: m.heapPerConnection })) },
      { label: 'RSS', bars: slopes.map((m) => ({ series: `${m.system} RSS`, value: m.rssPerConnection })) },
    ],
    colors,
    ' B',
    'A raw ws (blue), B emulator (orange)',
  );
  parts.push(
    `<rect x="${x2}" y="${y + 10}" width="12" height="12" fill="${colors['A']}"/><text x="${x2 + 16}" y="${y + 20}">A raw ws</text>` +
      `<rect x="${x2}" y="${y + 30}" width="12" height="12" fill="${colors['B']}"/><text x="${x2 + 16}" y="${y + 40}">B emulator</text>` +
      `<rect x="${x2}" y="${y + 50}" width="12" height="12" fill="${colors['D']}"/><text x="${x2 + 16}" y="${y + 60}">D serverless path</text>` +
      `<text x="${x2}" y="${y + 84}">faded bar = void window (our generators over 90 % of their core)</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}

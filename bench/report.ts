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
    return sorted[Math.floor((sorted.length - 1) / 2)] as TrafficRow;
  });
}

function stepRows(result: BenchResult, system: 'A' | 'B'): TrafficRow[] {
  return representative(result.traffic).filter((r) => r.system === system && r.scenario === 'step');
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
    const last = result.d[result.d.length - 1] as SystemDResult;
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
      `Run took ${result.durationSeconds} s.`,
  );
  lines.push('');
  lines.push(
    'A = raw `ws` server writing one pre-framed buffer to every socket; B = our emulator, raw SignalR JSON clients, ' +
      'broadcast through its REST API; C = real `@microsoft/signalr` clients inside B’s run; D = POST /api/messages ' +
      'through the local Functions host and Azurite. Latency: sender stamps CLOCK_MONOTONIC µs in the payload, ' +
      'receivers subtract. A row is VOID when the generator core was above 90 %.',
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
        `${r.void ? `VOID: ${r.voidReason}` : 'yes'} |`,
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
    lines.push(
      '| offered msg/s | receivers | senders | accepted/sent | statuses | delivered/s | lost | p50 ms | p90 ms | p99 ms | max ms | HTTP p50/p99 ms | stack CPU % | CPU ms/msg | generator CPU % (sender, receivers) | valid |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const d of result.d) {
      lines.push(
        `| ${d.rate} | ${d.connect.connected} | ${d.senders} | ${d.sent.accepted}/${d.sent.attempted} | ` +
          `${Object.entries(d.sent.statuses)
            .map(([k, v]) => `${k}×${v}`)
            .join(
              ' ',
            )} | ${d.deliveredPerSecond} | ${d.lost} | ${d.latency.p50} | ${d.latency.p90} | ${d.latency.p99} | ` +
          `${d.latency.max} | ${d.sent.requestMs.p50}/${d.sent.requestMs.p99} | ` +
          `${Object.entries(d.serverPercent)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} | ${Object.entries(d.cpuMsPerMessage ?? {})
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} | ${(d.generatorProcesses ?? []).join(' / ')} | ${d.void ? `VOID: ${d.voidReason}` : 'yes'} |`,
      );
    }
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

/** Two panels: delivered/s and p99 latency per offered broadcast rate, A and B side by side. */
export function renderSvg(result: BenchResult): string {
  const rows = representative(result.traffic).filter((r) => r.scenario === 'step' && MAIN_SYSTEMS.has(r.system));
  const rates = [...new Set(rows.map((r) => r.offeredBroadcastsPerSecond))].sort((x, y) => x - y);
  const W = 900;
  const H = 360;
  const panelW = 400;
  const panelH = 240;
  const top = 60;
  const colors: Record<string, string> = { A: '#4e79a7', B: '#f28e2b' };
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(
    `<text x="20" y="22" font-size="14" font-weight="bold">SignalR emulator (B) vs raw ws (A), ${result.profile.clients} connections, 200 B — ${escapeXml(String(result.machine['cpuModel']))}, ${result.machine['cores']} cores, Node ${result.machine['node']}</text>`,
  );
  const panels: { title: string; value: (r: TrafficRow) => number; unit: string }[] = [
    { title: 'Delivered messages/s', value: (r) => r.deliveredPerSecond, unit: '/s' },
    { title: 'p99 latency (ms)', value: (r) => r.latency.p99, unit: ' ms' },
  ];
  panels.forEach((panel, p) => {
    const x0 = 40 + p * (panelW + 60);
    const max = Math.max(1, ...rows.map(panel.value));
    parts.push(`<text x="${x0}" y="${top - 10}" font-size="12" font-weight="bold">${panel.title}</text>`);
    parts.push(
      `<line x1="${x0}" y1="${top + panelH}" x2="${x0 + panelW}" y2="${top + panelH}" stroke="#333"/>` +
        `<line x1="${x0}" y1="${top}" x2="${x0}" y2="${top + panelH}" stroke="#333"/>`,
    );
    parts.push(`<text x="${x0 - 4}" y="${top + 4}" text-anchor="end">${round(max, 0)}</text>`);
    const group = panelW / Math.max(1, rates.length);
    const barW = Math.min(30, (group - 10) / 2);
    rates.forEach((rate, i) => {
      const gx = x0 + i * group + (group - 2 * barW) / 2;
      ['A', 'B'].forEach((system, s) => {
        const r = rows.find((x) => x.system === system && x.offeredBroadcastsPerSecond === rate);
        if (!r) return;
        const h = (panel.value(r) / max) * panelH;
        const x = gx + s * barW;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${(top + panelH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${colors[system]}" opacity="${r.void ? 0.35 : 1}"><title>${system} ${rate} broadcasts/s: ${panel.value(r)}${panel.unit}${r.void ? ' (void)' : ''}</title></rect>`,
        );
      });
      parts.push(
        `<text x="${(x0 + i * group + group / 2).toFixed(1)}" y="${top + panelH + 14}" text-anchor="middle">${rate}/s</text>`,
      );
    });
    parts.push(
      `<text x="${x0 + panelW / 2}" y="${top + panelH + 30}" text-anchor="middle">offered broadcasts per second</text>`,
    );
  });
  parts.push(
    `<rect x="40" y="${H - 22}" width="12" height="12" fill="${colors['A']}"/><text x="56" y="${H - 12}">A raw ws</text>` +
      `<rect x="140" y="${H - 22}" width="12" height="12" fill="${colors['B']}"/><text x="156" y="${H - 12}">B emulator</text>` +
      `<text x="260" y="${H - 12}">faded bar = void (generator saturated)</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}

/**
 * Where an idle connection's heap goes: `node dist/bench/heap.js [a|b] [connections]` starts a
 * server (A raw ws or B the emulator), takes a heap snapshot with no clients and another with
 * `connections` idle clients, and prints the difference per constructor (count and self bytes per
 * connection). The snapshots stay in the temp directory for DevTools.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ConnectResult } from './generator';
import { RpcChild } from './rpc';
import type { ServerInfo } from './server-process';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size and count per "type:name" (objects by constructor, strings, closures by function name…). */
export function histogram(path: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]];
    let name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string'
        ? ''
        : (snap.strings[snap.nodes[i + nameAt]] ?? '');
    if (name.length > 60) name = name.slice(0, 60) + '…';
    const key = `${type}:${name}`;
    const entry = out.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + sizeAt];
    out.set(key, entry);
  }
  return out;
}

async function main(): Promise<void> {
  const kind = process.argv[2] === 'a' ? 'a' : 'b';
  const count = Number(process.argv[3] ?? 2000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-heap-'));
  const server = RpcChild.start({
    script: join(__dirname, 'server-process.js'),
    args: [kind],
    nodeArgs: ['--expose-gc'],
    cpus: '0',
  });
  const gen = RpcChild.start({ script: join(__dirname, 'generator-process.js'), cpus: '1' });
  try {
    await Promise.all([server.ready, gen.ready]);
    const info = await server.call<ServerInfo>('info');
    const before = await server.call<string>('heapSnapshot', { path: join(dir, `${kind}-0.heapsnapshot`) });
    const connect = await gen.call<ConnectResult>('connect', {
      kind: kind === 'a' ? 'raw' : 'signalr-raw',
      url: info.url,
      count,
      userPrefix: 'idle',
    });
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const after = await server.call<string>('heapSnapshot', { path: join(dir, `${kind}-${count}.heapsnapshot`) });
    const h0 = histogram(before);
    const h1 = histogram(after);
    const rows = [...h1].map(([key, v]) => {
      const b = h0.get(key) ?? { count: 0, bytes: 0 };
      return { key, count: (v.count - b.count) / connect.connected, bytes: (v.bytes - b.bytes) / connect.connected };
    });
    rows.sort((x, y) => y.bytes - x.bytes);
    const total = rows.reduce((n, r) => n + r.bytes, 0);
    console.log(
      `${kind.toUpperCase()}: ${connect.connected} idle connections, ${total.toFixed(0)} B of self size per connection`,
    );
    for (const r of rows.slice(0, 40)) {
      if (Math.abs(r.bytes) < 4) continue;
      console.log(`${r.bytes.toFixed(1).padStart(8)} B  ${r.count.toFixed(2).padStart(6)} ×  ${r.key}`);
    }
    console.log(`snapshots in ${dir}`);
    await gen.call('closeAll');
  } finally {
    await Promise.all([gen.stop(), server.stop()]);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * A server under test in its own process: `node --expose-gc server-process.js a|b`.
 * A = the raw `ws` baseline, B = our SignalR Service emulator. The orchestrator reads CPU time,
 * event-loop delay and memory (after a forced GC) over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

import { startEmulator } from '@hubbub/signalr-emulator';

import { CpuMeter, round } from './common';
import { startRawServer } from './raw-server';
import { serveRpc } from './rpc';

export interface ServerInfo {
  kind: 'A' | 'B';
  port: number;
  url: string;
  pid: number;
}

export interface ServerWindow {
  cpu: ReturnType<CpuMeter['read']>;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

const RESOLUTION_MS = 10;
/** The histogram holds the time between timer ticks; the delay is what exceeds the resolution. */
function lag(ns: number): number {
  return round(Math.max(0, ns / 1e6 - RESOLUTION_MS));
}

async function main(): Promise<void> {
  const kind = process.argv[2] === 'b' ? 'B' : 'A';
  const running =
    kind === 'A' ? await startRawServer(0) : await startEmulator({ port: 0, host: '127.0.0.1', log: () => undefined });
  const url = kind === 'A' ? running.url : `http://127.0.0.1:${running.port}`;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const cpu = new CpuMeter();
  const gc = (globalThis as { gc?: () => void }).gc;

  serveRpc({
    info: (): ServerInfo => ({ kind, port: running.port, url, pid: process.pid }),
    begin: (): null => {
      delay.reset();
      cpu.reset();
      return null;
    },
    end: (): ServerWindow => ({
      cpu: cpu.read(),
      eventLoopDelayMs: {
        p50: lag(delay.percentile(50)),
        p99: lag(delay.percentile(99)),
        max: lag(delay.max),
      },
    }),
    memory: async (): Promise<MemorySample> => {
      if (!gc) throw new Error('run the server with --expose-gc');
      // Twice, with a turn of the loop between, so weak callbacks and finalizers settle.
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const m = process.memoryUsage();
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
      };
    },
    /** Writes a V8 heap snapshot (after a forced GC) to `path`; see heap.ts. */
    heapSnapshot: (p: { path: string }): string => {
      gc?.();
      return writeHeapSnapshot(p.path);
    },
    close: async (): Promise<null> => {
      await running.close();
      return null;
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

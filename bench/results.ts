/** The shapes of a benchmark run's results, shared by the runner and the report. */
import type { CoreUse, CpuWindow, LatencySummary } from './common';
import type { ConnectResult, SendResult } from './generator';
import type { MemorySample, ServerWindow } from './server-process';
import type { SpaResult } from './spa';
import type { DBreakdown, SystemDResult } from './system-d';

export interface Profile {
  name: 'quick' | 'full' | 'tiny';
  /** Connections in the traffic runs (one Azure unit is 1,000). */
  clients: number;
  /** Real @microsoft/signalr clients among B's connections (system C). */
  realClients: number;
  latencyRate: number;
  latencySeconds: number;
  payloads: number[];
  /** Broadcasts per second, stepped up until p99 passes 1 s or a message is lost. */
  stepRates: number[];
  stepSeconds: number;
  /** Each window is measured this many times per system, alternating which system goes first. */
  repeats: number;
  idle: number[];
  /** Processes the receiving clients of A and of B are spread over (all on the generator core). */
  generators: number;
  d?: { receivers: number; senders: number; rates: number[]; seconds: number };
}

export type SystemName = 'A' | 'B' | 'C';

export interface TrafficRow {
  system: SystemName;
  scenario: 'latency' | 'step';
  /** Which repeat of this window (A and B alternate first). */
  repeat?: number;
  payloadBytes: number;
  connections: number;
  offeredBroadcastsPerSecond: number;
  sent: SendResult;
  expected: number;
  received: number;
  lost: number;
  deliveredPerSecond: number;
  latency: LatencySummary;
  server?: ServerWindow & { usPerDelivery: number; capacityPerSecond: number };
  /** This row's receiving processes together. */
  generator: CpuWindow;
  /** CPU % of each generator process (the main row: sender first, then every receiver process). */
  generatorProcesses?: number[];
  /** All generators on the generator core together. */
  generatorCorePercent: number;
  /** Whole-core use from /proc/stat (core 0 = server, core 1 = generators), kernel softirq included. */
  cores: CoreUse[];
  /** Set when a core was over 90 % busy with work not ours: the row counts, but read it with that in mind. */
  contended?: string;
  void: boolean;
  voidReason?: string;
}

export interface MemoryRow {
  system: 'A' | 'B';
  connections: number;
  memory: MemorySample;
  connect?: ConnectResult;
}

export interface BenchResult {
  profile: Profile;
  machine: Record<string, string | number | boolean>;
  startedAt: string;
  durationSeconds: number;
  connects: { system: SystemName; result: ConnectResult }[];
  traffic: TrafficRow[];
  memory: MemoryRow[];
  d?: SystemDResult[];
  dBreakdown?: DBreakdown;
  spa?: SpaResult;
  targets?: TargetResult[];
  notes: string[];
}

export interface TargetResult {
  id: string;
  goal: string;
  measured: string;
  pass: boolean | 'void';
}

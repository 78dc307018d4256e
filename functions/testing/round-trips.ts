/**
 * Counts the storage round trips a piece of work makes, and how many of them were in sequence: a
 * request that started after another had its answer is one step after it, so the steps are the
 * longest chain of requests each waiting on the one before (requests started together are one step).
 */
import { pushQueueIdle } from '../domain/push/push-queue';
import { searchIndexIdle } from '../domain/search/search-index';
import { observeStorage, type TableName } from '../platform/storage/tables';

export interface Trip {
  readonly table: TableName;
  readonly method: string;
  readonly start: number;
  end?: number;
  /** Entities its answer carried (a query page's rows; 1 for a point read; 0 for a write or a miss). */
  entities?: number;
  /** Bytes of its answer's body. */
  bytes?: number;
  /** The longest chain of requests ending with this one. */
  step: number;
}

export interface RoundTrips {
  readonly trips: readonly Trip[];
  /** Round trips in sequence: the longest chain. */
  readonly steps: number;
}

/** Runs `work` with every storage request recorded. */
export async function countRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T } & RoundTrips> {
  // The search index catches up, and a send's push job is enqueued, after a change's answer:
  // earlier work's are not this work's.
  await Promise.all([searchIndexIdle(), pushQueueIdle()]);
  const trips: Trip[] = [];
  let clock = 0; // event order, not time: two requests started in one tick are still together
  observeStorage((table, method) => {
    const started = ++clock;
    const before = trips.filter((t) => t.end !== undefined && t.end < started);
    const trip: Trip = { table, method, start: started, step: 1 + Math.max(0, ...before.map((t) => t.step)) };
    trips.push(trip);
    return (answer) => {
      trip.end = ++clock;
      trip.entities = answer?.entities ?? 0;
      trip.bytes = answer?.bytes ?? 0;
    };
  });
  try {
    const result = await work();
    return { result, trips, steps: Math.max(0, ...trips.map((t) => t.step)) };
  } finally {
    observeStorage(undefined);
  }
}

/** Entities and body bytes the trips to `table` read (every table when none is named). */
export function readOf(trips: readonly Trip[], table?: TableName): { entities: number; bytes: number; trips: number } {
  const of = trips.filter((t) => table === undefined || t.table === table);
  return {
    entities: of.reduce((sum, t) => sum + (t.entities ?? 0), 0),
    bytes: of.reduce((sum, t) => sum + (t.bytes ?? 0), 0),
    trips: of.length,
  };
}

/** One line per step: what each step asked of which table. */
export function describeSteps(trips: readonly Trip[]): string[] {
  const steps = new Map<number, string[]>();
  for (const t of trips) steps.set(t.step, [...(steps.get(t.step) ?? []), `${t.method} ${t.table}`]);
  return [...steps.entries()].sort(([a], [b]) => a - b).map(([step, what]) => `${step}: ${what.sort().join(', ')}`);
}

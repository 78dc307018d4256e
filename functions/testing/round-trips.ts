/**
 * Counts the storage round trips a piece of work makes, and how many of them were in sequence: a
 * request that started after another had its answer is one step after it, so the steps are the
 * longest chain of requests each waiting on the one before (requests started together are one step).
 */
import { observeStorage, type TableName } from '../platform/storage/tables';

export interface Trip {
  readonly table: TableName;
  readonly method: string;
  readonly start: number;
  end?: number;
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
  const trips: Trip[] = [];
  let clock = 0; // event order, not time: two requests started in one tick are still together
  observeStorage((table, method) => {
    const started = ++clock;
    const before = trips.filter((t) => t.end !== undefined && t.end < started);
    const trip: Trip = { table, method, start: started, step: 1 + Math.max(0, ...before.map((t) => t.step)) };
    trips.push(trip);
    return () => {
      trip.end = ++clock;
    };
  });
  try {
    const result = await work();
    return { result, trips, steps: Math.max(0, ...trips.map((t) => t.step)) };
  } finally {
    observeStorage(undefined);
  }
}

/** One line per step: what each step asked of which table. */
export function describeSteps(trips: readonly Trip[]): string[] {
  const steps = new Map<number, string[]>();
  for (const t of trips) steps.set(t.step, [...(steps.get(t.step) ?? []), `${t.method} ${t.table}`]);
  return [...steps.entries()].sort(([a], [b]) => a - b).map(([step, what]) => `${step}: ${what.sort().join(', ')}`);
}

/** Waiting on a condition (no fixed sleeps), and the run's Azurite for binding tests. */

/** Set by the Jest run's global setup (local/testing), which starts one Azurite per run. */
const TEST_STORAGE_ENV = 'HUBBUB_TEST_STORAGE_CONNECTION_STRING';

/** Polls `condition` every 20 ms; rejects after `timeoutMs` naming what it waited for. */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The connection string of this Jest run's Azurite (table, blob and queue services). */
export function testStorage(): string {
  const value = process.env[TEST_STORAGE_ENV];
  if (!value) throw new Error(`${TEST_STORAGE_ENV} is not set: run the tests through Jest's node project`);
  return value;
}

/** A name no other test or run uses, for queues, containers and tables (letters and digits). */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

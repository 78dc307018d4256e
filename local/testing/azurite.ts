/**
 * One Azurite table, blob and queue service each for a Jest run of the node project: started by `globalSetup` on a free
 * port of 127.0.0.1 with its data under `.data/`, announced to the test files through
 * {@link TEST_STORAGE_ENV}, and stopped (with SIGINT, as Azurite needs) by `globalTeardown`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { azuriteServiceProcess } from '../stack/azurite';
import { freePort } from '../stack/ports';
import type { ManagedProcess } from '../stack/process';
import { storageConnectionString } from '../stack/stack';

/** The connection string of this run's Azurite; test files read it (they cannot share objects with this process). */
export const TEST_STORAGE_ENV = 'HUBBUB_TEST_STORAGE_CONNECTION_STRING';

interface RunAzurite {
  readonly processes: readonly ManagedProcess[];
  readonly location: string;
}

const SLOT = Symbol.for('hubbub.testAzurite');
type WithSlot = typeof globalThis & { [SLOT]?: RunAzurite };

export async function startTestAzurite(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const dataDir = join(root, '.data');
  await mkdir(dataDir, { recursive: true });
  const location = await mkdtemp(join(dataDir, 'test-azurite-'));
  const port = await freePort();
  const blobPort = await freePort();
  const queuePort = await freePort();
  // Quiet: a failed start rejects with its reason, and Azurite's own lines would clutter every run.
  const azurite = azuriteServiceProcess('table', root, port, location, () => undefined);
  const blobs = azuriteServiceProcess('blob', root, blobPort, location, () => undefined);
  const queues = azuriteServiceProcess('queue', root, queuePort, location, () => undefined);
  const processes = [azurite, blobs, queues];
  try {
    await Promise.all(processes.map((p) => p.start()));
  } catch (err) {
    await Promise.all(processes.map((p) => p.stop()));
    throw err;
  }
  (globalThis as WithSlot)[SLOT] = { processes, location };
  process.env[TEST_STORAGE_ENV] = storageConnectionString(port, blobPort, queuePort);
}

export async function stopTestAzurite(): Promise<void> {
  const running = (globalThis as WithSlot)[SLOT];
  if (!running) return;
  delete (globalThis as WithSlot)[SLOT];
  await Promise.all(running.processes.map((p) => p.stop()));
  await rm(running.location, { recursive: true, force: true });
}

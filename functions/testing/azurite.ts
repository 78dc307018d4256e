/**
 * Real Azurite for Jest suites: a table service on a free port with its own temporary folder,
 * wired into the app setting the functions read. Stop it in afterAll.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ManagedProcess } from '../../local/stack/process';
import { freePort } from '../../local/stack/ports';
import { azuriteProcess, storageConnectionString } from '../../local/stack/stack';
import { STORAGE_SETTING } from '../lib/tables';

export interface TestAzurite {
  readonly process: ManagedProcess;
  readonly connectionString: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<TestAzurite> {
  const root = resolve(__dirname, '../..');
  const port = await freePort();
  const location = await mkdtemp(join(tmpdir(), 'hubbub-azurite-'));
  const azurite = azuriteProcess(root, port, location, () => undefined);
  await azurite.start();
  const connectionString = storageConnectionString(port);
  process.env[STORAGE_SETTING] = connectionString;
  return {
    process: azurite,
    connectionString,
    async stop() {
      await azurite.stop();
      await rm(location, { recursive: true, force: true });
    },
  };
}

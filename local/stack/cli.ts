/**
 * `npm start` / `npm run start:api`: brings the whole local stack up, prints where to go, and
 * stops every process on Ctrl-C.
 */
import { access, copyFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { DEFAULT_PORTS, type RunningStack, type StackPorts, startStack } from './stack';

const root = resolve(__dirname, '../../..');

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`${name}=${raw} is not a port number (1-65535)`);
    process.exit(2);
  }
  return port;
}

async function ensureLocalSettings(): Promise<void> {
  const settings = join(root, 'local.settings.json');
  try {
    await access(settings);
  } catch {
    await copyFile(join(root, 'local.settings.sample.json'), settings);
    console.log('Created local.settings.json from local.settings.sample.json');
  }
}

async function main(): Promise<void> {
  const withSpa = !process.argv.includes('--no-spa');
  const ports: StackPorts = {
    spa: portFromEnv('SPA_PORT', DEFAULT_PORTS.spa),
    functions: portFromEnv('FUNCTIONS_PORT', DEFAULT_PORTS.functions),
    signalr: portFromEnv('SIGNALR_PORT', DEFAULT_PORTS.signalr),
    tables: portFromEnv('AZURITE_TABLE_PORT', DEFAULT_PORTS.tables),
    blobs: portFromEnv('AZURITE_BLOB_PORT', DEFAULT_PORTS.blobs ?? 10000),
    queues: portFromEnv('AZURITE_QUEUE_PORT', DEFAULT_PORTS.queues ?? 10001),
  };
  await ensureLocalSettings();
  let stack: RunningStack | undefined;
  let stopping = false;
  let exitCode = 0;
  const starting = new AbortController();
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    // Still starting: startStack stops what it started and rejects, which ends the process below.
    if (!stack) {
      starting.abort();
      return;
    }
    stack.expectExit();
    console.log('\nStopping Hubbub…');
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  try {
    stack = await startStack({
      root,
      dataDir: join(root, '.data'),
      ports,
      spa: withSpa ? 'dev-server' : 'none',
      functionsHost: process.argv.includes('--func') ? 'func' : 'local',
      signal: starting.signal,
      log: (line) => console.log(line),
      onUnexpectedExit: (name) => {
        console.error(`${name} stopped; shutting the stack down. Fix the error above and run npm start again.`);
        void shutdown(1);
      },
    });
  } catch (err) {
    // startStack has stopped whatever it had started.
    if (stopping && exitCode === 0) {
      console.log('Stopped before Hubbub finished starting.');
      process.exit(0);
    }
    console.error(`Hubbub could not start: ${err instanceof Error ? err.message : String(err)}`);
    console.error('A port may be in use: set SPA_PORT, FUNCTIONS_PORT, SIGNALR_PORT or AZURITE_TABLE_PORT.');
    process.exit(1);
  }
  console.log('');
  console.log('Hubbub is running:');
  if (withSpa) console.log(`  Chat            ${stack.urls.app}   (open it in two windows)`);
  console.log(`  Functions API   ${stack.urls.api}/api`);
  console.log(`  SignalR         ${stack.urls.signalr}   (emulator)`);
  console.log(`  Table Storage   ${stack.urls.tables}   (Azurite, data in .data/)`);
  console.log('Press Ctrl-C to stop.');
}

void main();

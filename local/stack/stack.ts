/**
 * The zero-install local stack: Azurite (tables, blobs for attachments, queues for push), our SignalR Service emulator, our Functions
 * host and, for development, `ng serve`. Used by `npm start`, `npm run start:api` and the e2e tests.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { parseConnectionString } from '@hubbub/functions-host';
import { buildConnectionString, DEFAULT_EMULATOR_ACCESS_KEY } from '@hubbub/signalr-emulator';
import webpush from 'web-push';

import { azuriteServiceProcess } from './azurite';
import { allowBlobCors } from './azurite-blob';
import { freePort } from './ports';
import { ManagedProcess } from './process';

/** Azurite's well-known development account (public, documented by Microsoft). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface StackPorts {
  readonly spa: number;
  readonly functions: number;
  readonly signalr: number;
  readonly tables: number;
  /** Azurite's blob service (attachments); a free port when not given. */
  readonly blobs?: number;
  /** Azurite's queue service (push delivery); a free port when not given. */
  readonly queues?: number;
}

export const DEFAULT_PORTS: StackPorts = {
  spa: 4200,
  functions: 7071,
  signalr: 8888,
  tables: 10002,
  blobs: 10000,
  queues: 10001,
};

export interface StackOptions {
  /** The project root: package.json, host.json, dist/. */
  readonly root: string;
  /** Where Azurite keeps its data and the stack writes generated settings. */
  readonly dataDir: string;
  readonly ports: StackPorts;
  /**
   * `dev-server`: ng serve with the /api proxy; `static`: the built SPA in dist/spa/browser, served by
   * the Functions app's own `spa` function, as in Azure; `none`: no SPA URL is printed.
   */
  readonly spa: 'dev-server' | 'static' | 'none';
  readonly log: (line: string) => void;
  /** Extra app settings for the Functions app (they win over local.settings.json). */
  readonly values?: Readonly<Record<string, string>>;
  /**
   * The SignalR emulator's access key. Default: the AccessKey of AzureSignalRConnectionString in
   * `root`/local.settings.json if it names one, else a random key for this run of the stack.
   */
  readonly signalrAccessKey?: string;
  /** Extra command-line options for the SignalR emulator (e.g. `--clock-skew 0`). */
  readonly signalrArgs?: readonly string[];
  /** `local`: our Functions host (default); `func`: Azure Functions Core Tools' `func start`, where installed. */
  readonly functionsHost?: 'local' | 'func';
  /** Aborting while the stack is still starting stops what has started and rejects. */
  readonly signal?: AbortSignal;
  /** Called when a process dies without being stopped. */
  readonly onUnexpectedExit?: (name: string, code: number | null) => void;
}

export interface StackUrls {
  /** Where a person opens the chat. */
  readonly app: string;
  readonly api: string;
  readonly signalr: string;
  readonly tables: string;
  readonly blobs: string;
}

export interface RunningStack {
  readonly urls: StackUrls;
  readonly signalrConnectionString: string;
  readonly storageConnectionString: string;
  readonly processes: {
    readonly azurite: ManagedProcess;
    readonly azuriteBlob: ManagedProcess;
    readonly azuriteQueue: ManagedProcess;
    readonly signalr: ManagedProcess;
    readonly functions: ManagedProcess;
    readonly spa?: ManagedProcess;
  };
  /** Marks every exit from now on as expected: Ctrl-C signals the children too, before stop() gets to them. */
  expectExit(): void;
  stop(): Promise<void>;
}

/** Core Tools from the optional npm dependency, else from PATH. */
function findFunc(root: string): string {
  const local = join(root, 'node_modules/.bin/func');
  if (existsSync(local)) return local;
  try {
    return execFileSync('which', ['func'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Azure Functions Core Tools (func) are not installed; npm install brings them where the internet is reachable, ' +
        'or install them globally. npm start uses our own Functions host and needs no func.',
    );
  }
}

export function storageConnectionString(tablePort: number, blobPort?: number, queuePort?: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/${DEV_ACCOUNT};` +
    (blobPort === undefined ? '' : `BlobEndpoint=http://127.0.0.1:${blobPort}/${DEV_ACCOUNT};`) +
    (queuePort === undefined ? '' : `QueueEndpoint=http://127.0.0.1:${queuePort}/${DEV_ACCOUNT};`)
  );
}

/**
 * The key the stack gives the emulator and the Functions app: one configured in local.settings.json
 * (Values.AzureSignalRConnectionString), else fresh random bytes, so no page or process that knows
 * the key Microsoft's emulator publishes can mint tokens for this stack.
 */
export async function stackAccessKey(root: string): Promise<string> {
  let configured: string | undefined;
  try {
    const settings = JSON.parse(await readFile(join(root, 'local.settings.json'), 'utf8')) as {
      Values?: Record<string, unknown>;
    };
    const value = settings.Values?.['AzureSignalRConnectionString'];
    if (typeof value === 'string' && value.trim() !== '') configured = parseConnectionString(value).accessKey;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`local.settings.json: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return configured ?? randomBytes(32).toString('base64url');
}

/** The VAPID key pair and contact push is signed with (docs/push.md), as app settings. */
export interface VapidSettings {
  readonly HUBBUB_VAPID_PUBLIC_KEY: string;
  readonly HUBBUB_VAPID_PRIVATE_KEY: string;
  readonly HUBBUB_VAPID_SUBJECT: string;
}

/**
 * The stack's VAPID keys: generated once into `dataDir`/vapid.json (readable by its owner only) and
 * read from there afterwards, so a browser's push subscriptions outlive a restart. They reach the
 * Functions app through its environment, never a command line or the log.
 */
export async function stackVapidKeys(dataDir: string): Promise<VapidSettings> {
  const file = join(dataDir, 'vapid.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<VapidSettings>;
    if (stored.HUBBUB_VAPID_PUBLIC_KEY && stored.HUBBUB_VAPID_PRIVATE_KEY && stored.HUBBUB_VAPID_SUBJECT) {
      return stored as VapidSettings;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  const keys: VapidSettings = {
    HUBBUB_VAPID_PUBLIC_KEY: publicKey,
    HUBBUB_VAPID_PRIVATE_KEY: privateKey,
    HUBBUB_VAPID_SUBJECT: 'mailto:push@hubbub.localhost',
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** Where the SPA may run locally: the dev server and the Functions host (the built SPA), by either name. */
function devOrigins(ports: StackPorts): string[] {
  return [ports.spa, ports.functions]
    .filter((port) => port > 0)
    .flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { root, dataDir, ports, log } = options;
  const node = process.execPath;
  await mkdir(join(dataDir, 'azurite'), { recursive: true });
  const upstreamFile = join(dataDir, 'signalr-upstream.json');
  await writeFile(
    upstreamFile,
    JSON.stringify(
      {
        UpstreamSettings: {
          Templates: [
            {
              // The app's own HTTP-triggered upstream endpoint (functions/signalr-events.ts), the same
              // route the SignalR Service calls in Azure; it checks the X-ASRS-Signature itself.
              UrlTemplate: `http://127.0.0.1:${ports.functions}/api/signalr/events`,
              EventPattern: 'connected,disconnected',
              HubPattern: '*',
              CategoryPattern: 'connections',
            },
          ],
        },
      },
      null,
      2,
    ),
  );
  const accessKey = options.signalrAccessKey ?? (await stackAccessKey(root));
  if (accessKey === DEFAULT_EMULATOR_ACCESS_KEY && options.signalrAccessKey === undefined) {
    log(
      'Warning: local.settings.json names the access key Microsoft publishes for its emulator, so any local ' +
        'process can mint SignalR tokens for this stack. Remove AzureSignalRConnectionString from it to get a random key per run.',
    );
  }
  const signalrConnectionString = buildConnectionString(`http://localhost:${ports.signalr}`, accessKey);
  const blobPort = ports.blobs ?? (await freePort());
  const queuePort = ports.queues ?? (await freePort());
  const storage = storageConnectionString(ports.tables, blobPort, queuePort);
  const vapid = await stackVapidKeys(dataDir);
  const onExit = options.onUnexpectedExit;

  const azurite = azuriteServiceProcess('table', root, ports.tables, join(dataDir, 'azurite'), log, onExit);
  const azuriteBlob = azuriteServiceProcess('blob', root, blobPort, join(dataDir, 'azurite'), log, onExit);
  const azuriteQueue = azuriteServiceProcess('queue', root, queuePort, join(dataDir, 'azurite'), log, onExit);
  const signalr = new ManagedProcess(
    {
      name: 'signalr',
      command: node,
      args: [
        packageBin('@hubbub/signalr-emulator', 'signalr-emulator'),
        '--port',
        String(ports.signalr),
        '--upstream',
        upstreamFile,
        ...(options.signalrArgs ?? []),
      ],
      // In the environment, not on the command line, where any local user could read it.
      env: { SIGNALR_ACCESS_KEY: accessKey },
      port: ports.signalr,
    },
    log,
    onExit,
  );
  const useFunc = options.functionsHost === 'func';
  const functions = new ManagedProcess(
    {
      name: 'functions',
      command: useFunc ? findFunc(root) : node,
      args: useFunc
        ? ['start', '--port', String(ports.functions)]
        : [
            packageBin('@hubbub/functions-host', 'functions-host'),
            '--port',
            String(ports.functions),
            '--app-root',
            root,
          ],
      cwd: root,
      env: {
        AzureSignalRConnectionString: signalrConnectionString,
        HUBBUB_STORAGE_CONNECTION_STRING: storage,
        // One session secret for the life of the stack: restarting the Functions host keeps people signed in.
        HUBBUB_AUTH_SECRET: randomBytes(32).toString('hex'),
        ...vapid,
        ...options.values,
      },
      port: ports.functions,
    },
    log,
    onExit,
  );
  const spa =
    options.spa === 'dev-server'
      ? new ManagedProcess(
          {
            name: 'spa',
            command: node,
            args: [join(root, 'node_modules/@angular/cli/bin/ng.js'), 'serve', '--port', String(ports.spa)],
            cwd: root,
            env: { FUNCTIONS_PORT: String(ports.functions), NG_CLI_ANALYTICS: 'false' },
            port: ports.spa,
            readyTimeoutMs: 180_000,
          },
          log,
          onExit,
        )
      : undefined;

  const started: ManagedProcess[] = [];
  const stop = async () => {
    // Reverse order: the front door closes first, storage last so it can flush.
    for (const p of [...started].reverse()) await p.stop();
  };
  const aborted = new Promise<never>((_, reject) => {
    const abort = () => reject(new Error('stopped while starting'));
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (const p of [azurite, azuriteBlob, azuriteQueue, signalr, functions, ...(spa ? [spa] : [])]) {
      log(`starting ${p.spec.name} on port ${p.spec.port}…`);
      // Counted as started before it is ready, so an abort or a failure stops it too.
      started.push(p);
      await Promise.race([p.start(), aborted]);
      // Browsers PUT and GET attachments on the blob service directly, from the SPA's origin.
      if (p === azuriteBlob) await allowBlobCors(storage, devOrigins(ports));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const api = `http://localhost:${ports.functions}`;
  return {
    urls: {
      app: spa ? `http://localhost:${ports.spa}` : api,
      api,
      signalr: `http://localhost:${ports.signalr}`,
      tables: `http://127.0.0.1:${ports.tables}/${DEV_ACCOUNT}`,
      blobs: `http://127.0.0.1:${blobPort}/${DEV_ACCOUNT}`,
    },
    signalrConnectionString,
    storageConnectionString: storage,
    processes: { azurite, azuriteBlob, azuriteQueue, signalr, functions, spa },
    expectExit: () => started.forEach((p) => p.expectExit()),
    stop,
  };
}

/** The bin script of one of our workspace packages, as `npx <bin>` would run it (Node version check first). */
function packageBin(name: string, bin: string): string {
  return join(dirname(require.resolve(`${name}/package.json`)), 'bin', `${bin}.js`);
}

/**
 * `functions-host [--port 7071] [--app-root .] [--host 127.0.0.1]`:
 * the local stand-in for `func start`. Prints the functions with their URLs, logs one line per
 * request, and stops cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { SIGNALR_WEBHOOK_PATH } from './bindings/signalr-trigger';
import { describeKeys } from './function-keys';
import { type RegisteredFunctionInfo, type RunningHost, startFunctionsHost } from './host';

const USAGE = `Usage: functions-host [--port 7071] [--app-root .] [--host 127.0.0.1] [--keys]

  --keys  honour authLevel function/admin with keys made and printed at start (default: every
          function is anonymous, as under func start)`;

export function describeFunction(info: RegisteredFunctionInfo, baseUrl: string): string {
  if (info.path !== undefined) {
    return `${info.name}: [${(info.methods ?? ['*']).join(',')}] ${baseUrl}${info.path}`;
  }
  if (info.signalR) {
    const { hubName, category, event } = info.signalR;
    return `${info.name}: signalRTrigger (hub ${hubName}, ${category}/${event})`;
  }
  return `${info.name}: ${info.triggerType}`;
}

/**
 * The start-up line for local sign-in and, only when the app has `signalRTrigger` functions, the
 * webhook the SignalR Service's upstream must call for them. An app that takes upstream calls in
 * an HTTP function of its own (Hubbub's `/api/signalr/events`) finds that in the list of functions.
 */
export function signInLine(functions: readonly RegisteredFunctionInfo[], baseUrl: string): string {
  const signIn = `Local sign-in: ${baseUrl}/.auth/login/<provider> (dev, aad, github, ...)`;
  return functions.some((info) => info.signalR)
    ? `${signIn}   SignalR upstream for signalRTrigger: ${baseUrl}${SIGNALR_WEBHOOK_PATH}`
    : signIn;
}

async function start(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        'app-root': { type: 'string', default: '.' },
        host: { type: 'string' },
        keys: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  let port: number | undefined;
  if (args.port !== undefined) {
    port = Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`--port ${args.port} is not a port number (0-65535)\n${USAGE}`);
      process.exit(2);
    }
  }
  const log = (line: string) => console.log(`[${new Date().toISOString()}] ${line}`);
  // Signals may arrive while the app is still loading; stop closes whatever has started by then.
  const running: { host?: RunningHost } = {};
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping the Functions host`);
    await running.host?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const host = await startFunctionsHost({
    appRoot: resolve(args['app-root']),
    port,
    host: args.host,
    keys: args.keys,
    log,
  });
  running.host = host;
  console.log(`\nFunctions:\n`);
  for (const info of host.functions) console.log(`        ${describeFunction(info, host.url)}\n`);
  // Local development keys, new at each start: printed once, as func prints a function's URL with its key.
  if (host.keys) console.log(`${describeKeys(host.keys).join('\n')}\n`);
  console.log(signInLine(host.functions, host.url));
  console.log(`Host listening on ${host.url} (Ctrl-C to stop)\n`);
}

/** What the package's bin runs, once it has checked the Node version. */
export function main(): void {
  start().catch((err: unknown) => {
    console.error(`The Functions host could not start: ${(err as Error).message}`);
    process.exit(1);
  });
}

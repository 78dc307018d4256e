/**
 * `signalr-emulator [--port 8888] [--host 127.0.0.1] [--access-key K]
 * [--upstream settings.json] [--clock-skew 300] [--no-lifetime-check]`
 * [--allowed-origins ORIGINS]
 * Environment: SIGNALR_PORT, SIGNALR_HOST, SIGNALR_ACCESS_KEY, SIGNALR_UPSTREAM_SETTINGS, SIGNALR_ALLOWED_ORIGINS.
 */
import { LOOPBACK_ORIGINS, parseOrigins } from './origins';
import { type EmulatorOptions, startEmulator } from './server';

const USAGE = `Azure SignalR Service emulator (serverless mode)

Usage: signalr-emulator [--port 8888] [--host 127.0.0.1] [--access-key KEY] [--upstream settings.json]
                [--clock-skew SECONDS] [--no-lifetime-check] [--allowed-origins ORIGINS]

  --port        port to listen on (env SIGNALR_PORT; 0 = any free port)
  --host        address to bind (env SIGNALR_HOST; 0.0.0.0 for containers)
  --access-key  HMAC key for tokens and upstream signatures (env SIGNALR_ACCESS_KEY); the published
                default key is refused when --host is not loopback
  --allowed-origins  comma-separated browser origins that may negotiate and connect, :* for any port
                (env SIGNALR_ALLOWED_ORIGINS; default ${LOOPBACK_ORIGINS.join(', ')})
  --upstream    upstream settings file, Microsoft emulator format, hot-reloaded (env SIGNALR_UPSTREAM_SETTINGS)
  --clock-skew  seconds of tolerance on token exp/nbf (default 300)
  --no-lifetime-check  accept expired tokens`;

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): EmulatorOptions | 'help' {
  const options: EmulatorOptions = {};
  if (env['SIGNALR_PORT']) options.port = parsePort(env['SIGNALR_PORT']);
  if (env['SIGNALR_HOST']) options.host = env['SIGNALR_HOST'];
  if (env['SIGNALR_ACCESS_KEY']) options.accessKey = env['SIGNALR_ACCESS_KEY'];
  if (env['SIGNALR_UPSTREAM_SETTINGS']) options.upstreamSettingsFile = env['SIGNALR_UPSTREAM_SETTINGS'];
  if (env['SIGNALR_ALLOWED_ORIGINS']) options.allowedOrigins = parseOrigins(env['SIGNALR_ALLOWED_ORIGINS']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '-p':
      case '--port':
        options.port = parsePort(value());
        break;
      case '-i':
      case '--host':
        options.host = value();
        break;
      case '--access-key':
        options.accessKey = value();
        break;
      case '-c':
      case '--upstream':
        options.upstreamSettingsFile = value();
        break;
      case '--clock-skew': {
        const skew = Number(value());
        if (!Number.isFinite(skew) || skew < 0) throw new Error('--clock-skew must be a number of seconds');
        options.clockSkewSeconds = skew;
        break;
      }
      case '--allowed-origins':
        options.allowedOrigins = parseOrigins(value());
        break;
      case '--no-lifetime-check':
        options.checkLifetime = false;
        break;
      default:
        throw new Error(`Unknown option ${arg}`);
    }
  }
  return options;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Port "${value}" is not 0-65535`);
  return port;
}

async function start(): Promise<void> {
  let options: EmulatorOptions | 'help';
  try {
    options = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const log = (line: string): void => console.log(`[signalr] ${new Date().toISOString()} ${line}`);
  const emulator = await startEmulator({ ...options, log });
  console.log(`Azure SignalR Service emulator listening on ${options.host ?? '127.0.0.1'}:${emulator.port}`);
  console.log(`Connection string (AzureSignalRConnectionString):\n  ${emulator.connectionString}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`[signalr] ${signal}: stopping`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** What the package's bin runs, once it has checked the Node version. */
export function main(): void {
  start().catch((error: unknown) => {
    console.error(`Emulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

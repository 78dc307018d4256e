/**
 * The Azure SignalR Service emulator (serverless mode): one HTTP server with the `/client`
 * endpoint (negotiate, WebSockets, Server-Sent Events, Long Polling) and the REST API (`/api`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { ClientEndpoint } from './client-endpoint';
import { buildConnectionString, DEFAULT_EMULATOR_ACCESS_KEY } from './connection-string';
import { sendStatus } from './http-util';
import { isLoopbackHost, LOOPBACK_ORIGINS, originAllowed } from './origins';
import { RestApi } from './rest-api';
import { EmulatorService, type ServiceSettings } from './service';
import { DEFAULT_MAX_BUFFERED_BYTES } from './transports/transport';
import { startUpstream } from './upstream';

export interface EmulatorOptions {
  /** Default 8888; 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /**
   * Default DEFAULT_EMULATOR_ACCESS_KEY, the key Microsoft's emulator publishes: fine on loopback
   * for tests and old settings, refused when `host` reaches beyond this machine.
   */
  accessKey?: string;
  /**
   * Browser origins allowed to negotiate and connect (`scheme://host[:port]`, `:*` for any port,
   * `*` for all); requests without Origin are always allowed. Default LOOPBACK_ORIGINS.
   */
  allowedOrigins?: readonly string[];
  /** Upstream settings in the Microsoft emulator's format; hot-reloaded. */
  upstreamSettingsFile?: string;
  /** Tolerance on `exp`/`nbf`; default 300. */
  clockSkewSeconds?: number;
  /** Check `exp`/`nbf`; default true. */
  checkLifetime?: boolean;
  log?: (line: string) => void;
  /** Time the client has to send its handshake; default 15 s. */
  handshakeTimeoutMs?: number;
  /** Ping idle connections this often; default 15 s. */
  keepAliveIntervalMs?: number;
  /** Drop a client silent this long; default 30 s. */
  clientTimeoutMs?: number;
  /** How long a negotiated id waits for its transport; default 30 s. */
  negotiateTimeoutMs?: number;
  /** How long a long poll is held open without data; default 90 s (the client gives up at 100 s). */
  longPollTimeoutMs?: number;
  /** Largest client message (WebSocket frame, SSE/LP POST); default 1 MB. */
  maxMessageBytes?: number;
  /** Largest REST body; default 1 MB, as the service documents. */
  maxRestBodyBytes?: number;
  /**
   * Unsent bytes one connection may hold (its WebSocket or Server-Sent Events socket buffer, its
   * long-polling queue) before it is disconnected as too slow; default 32 MB. See the README.
   */
  maxBufferedBytes?: number;
}

export interface RunningEmulator {
  port: number;
  /** http://localhost:<port> */
  url: string;
  /** Endpoint=http://localhost;Port=<port>;AccessKey=...;Version=1.0; */
  connectionString: string;
  close(): Promise<void>;
}

const SECOND = 1000;
const MEGABYTE = 1024 * 1024;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const log = options.log ?? (() => undefined);
  const listenHost = options.host ?? '127.0.0.1';
  const accessKey = options.accessKey ?? DEFAULT_EMULATOR_ACCESS_KEY;
  if (accessKey === DEFAULT_EMULATOR_ACCESS_KEY && !isLoopbackHost(listenHost)) {
    throw new Error(
      `Refusing to listen on ${listenHost} with the access key Microsoft's emulator publishes: anyone who can ` +
        'reach the port could mint tokens for any user. Pass --access-key (or SIGNALR_ACCESS_KEY) with a secret of your own.',
    );
  }
  const settings: ServiceSettings = {
    accessKey,
    allowedOrigins: options.allowedOrigins ?? LOOPBACK_ORIGINS,
    clockSkewSeconds: options.clockSkewSeconds ?? 300,
    checkLifetime: options.checkLifetime ?? true,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 15 * SECOND,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 15 * SECOND,
    clientTimeoutMs: options.clientTimeoutMs ?? 30 * SECOND,
    negotiateTimeoutMs: options.negotiateTimeoutMs ?? 30 * SECOND,
    longPollTimeoutMs: options.longPollTimeoutMs ?? 90 * SECOND,
    maxMessageBytes: options.maxMessageBytes ?? MEGABYTE,
    maxRestBodyBytes: options.maxRestBodyBytes ?? MEGABYTE,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    closedLingerMs: 5 * SECOND,
  };
  const service = new EmulatorService(settings, log);
  const upstream = options.upstreamSettingsFile
    ? startUpstream({ settingsFile: options.upstreamSettingsFile, accessKey: settings.accessKey, log })
    : undefined;
  if (upstream) service.upstream = upstream;
  const clients = new ClientEndpoint(service);
  const rest = new RestApi(service, log);

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendStatus(res, 400);
    }
    // The REST API is for servers, which send no Origin; a browser page may not reach it at all.
    const fromBrowser = RestApi.matches(url.pathname) && !originAllowed(req.headers.origin, settings.allowedOrigins);
    if (isServerEndpoint(url.pathname)) return sendStatus(res, 501, {}, SERVER_ENDPOINT_REASON);
    const handled = ClientEndpoint.matches(url.pathname)
      ? clients.handle(req, res, url)
      : fromBrowser
        ? Promise.resolve(sendStatus(res, 403))
        : RestApi.matches(url.pathname)
          ? rest.handle(req, res, url)
          : Promise.resolve(sendStatus(res, 404));
    handled.catch((error: unknown) => {
      // A bug must cost one request, never the server.
      log(`internal error on ${req.method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendStatus(res, 500);
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      socket.destroy();
      return;
    }
    if (isServerEndpoint(url.pathname)) {
      const body = Buffer.from(SERVER_ENDPOINT_REASON);
      socket.end(
        `HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${SERVER_ENDPOINT_REASON}`,
      );
      return;
    }
    try {
      clients.upgrade(req, socket, head, url);
    } catch (error) {
      log(`internal error on upgrade: ${error instanceof Error ? error.message : String(error)}`);
      socket.destroy();
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    connectionString: buildConnectionString(url, settings.accessKey),
    close: () =>
      (closing ??= (async () => {
        service.closeAll();
        clients.close();
        await upstream?.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      })()),
  };
}

/** App servers connect on `/server` in Default mode; the emulator is the serverless mode only. */
const SERVER_ENDPOINT_REASON =
  'Default mode (app servers connecting on /server) is not implemented by the emulator: it runs in serverless mode';

function isServerEndpoint(pathname: string): boolean {
  return pathname === '/server' || pathname.startsWith('/server/');
}

/** Helpers for the emulator's tests: tokens minted like the SDK mints them, REST calls, waiting. */
import { type HubConnection, HubConnectionBuilder, type IHttpConnectionOptions, LogLevel } from '@microsoft/signalr';
import WebSocket from 'ws';

import { DEFAULT_EMULATOR_ACCESS_KEY } from '../connection-string';
import { type JwtAlgorithm, type JwtPayload, signJwt } from '../jwt';
import type { RunningEmulator } from '../server';

export const KEY = DEFAULT_EMULATOR_ACCESS_KEY;
const HOUR = 3600;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A client token as the Functions extension mints it (aud without port, asrs.s.uid, 1 h). */
export function clientToken(
  userId?: string,
  hub = 'chat',
  extra: JwtPayload = {},
  key = KEY,
  alg: JwtAlgorithm = 'HS256',
): string {
  const now = nowSeconds();
  return signJwt(
    {
      aud: `http://localhost/client/?hub=${hub}`,
      iat: now,
      nbf: now,
      exp: now + HOUR,
      ...(userId ? { 'asrs.s.uid': userId } : {}),
      ...extra,
    },
    key,
    alg,
  );
}

/** A REST token as the Management SDK mints it: aud = URL without port, query kept. */
export function restToken(pathAndQuery: string, extra: JwtPayload = {}, key = KEY): string {
  const now = nowSeconds();
  return signJwt(
    { aud: `http://localhost${pathAndQuery}`, nameid: 'test_host', iat: now, nbf: now, exp: now + HOUR, ...extra },
    key,
  );
}

export interface RestResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Calls the REST API with a correctly minted token (unless `token` is given). */
export async function rest(
  emulator: RunningEmulator,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  options: { token?: string | null; contentType?: string; rawBody?: Buffer | string } = {},
): Promise<RestResponse> {
  const token = options.token === undefined ? restToken(pathAndQuery) : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  let payload: string | Buffer | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json; charset=utf-8';
  const response = await fetch(`${emulator.url}${pathAndQuery}`, { method, headers, body: payload });
  return { status: response.status, headers: response.headers, text: method === 'HEAD' ? '' : await response.text() };
}

export const API_VERSION = 'api-version=2022-06-01';

/** Connects the real client straight to the emulator's client URL. */
export async function connectClient(
  emulator: RunningEmulator,
  token: string,
  options: Partial<IHttpConnectionOptions> & {
    hub?: string;
    configure?: (b: HubConnectionBuilder) => HubConnectionBuilder;
  } = {},
): Promise<HubConnection> {
  const { hub = 'chat', configure, ...http } = options;
  let builder = new HubConnectionBuilder()
    .withUrl(`${emulator.url}/client/?hub=${hub}`, { accessTokenFactory: () => token, ...http })
    .configureLogging(LogLevel.None);
  if (configure) builder = configure(builder);
  const connection = builder.build();
  await connection.start();
  return connection;
}

/** Resolves with the arguments of the next `target` invocation the client receives. */
export function nextInvocation(connection: HubConnection, target: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const handler = (...args: unknown[]): void => {
      connection.off(target, handler);
      resolve(args);
    };
    connection.on(target, handler);
  });
}

/** Collects every `target` invocation the client receives. */
export function collect(connection: HubConnection, target: string): unknown[][] {
  const received: unknown[][] = [];
  connection.on(target, (...args: unknown[]) => received.push(args));
  return received;
}

/** Polls a condition (no fixed sleeps); rejects after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Stops clients quietly (after a test some are already stopped). */
export async function stopAll(connections: HubConnection[]): Promise<void> {
  await Promise.all(connections.splice(0).map((c) => c.stop().catch(() => undefined)));
}

/** A bare WebSocket speaking the hub protocol by hand, for what the real client never sends. */
export class RawClient {
  readonly frames: { data: Buffer; binary: boolean }[] = [];
  closeCode?: number;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, binary: boolean) => this.frames.push({ data: Buffer.from(data), binary }));
    socket.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code: number) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  static async connect(
    emulator: RunningEmulator,
    query = 'hub=chat',
    token: string | null = clientToken('raw'),
  ): Promise<RawClient> {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const client = new RawClient(new WebSocket(`ws://localhost:${emulator.port}/client/?${query}`, { headers }));
    await client.opened;
    return client;
  }

  /** Negotiates first, so the test knows the public connection id. */
  static async negotiated(
    emulator: RunningEmulator,
    token: string = clientToken('raw'),
    hub = 'chat',
  ): Promise<{ client: RawClient; connectionId: string }> {
    const response = await fetch(`${emulator.url}/client/negotiate?hub=${hub}&negotiateVersion=1`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { connectionId: string; connectionToken: string };
    const client = await RawClient.connect(
      emulator,
      `hub=${hub}&id=${encodeURIComponent(body.connectionToken)}`,
      token,
    );
    return { client, connectionId: body.connectionId };
  }

  send(data: string | Buffer, binary = typeof data !== 'string'): void {
    this.socket.send(data, { binary });
  }

  /** JSON handshake, waiting for the `{}` reply. */
  async handshake(protocol = 'json'): Promise<void> {
    this.send(`{"protocol":"${protocol}","version":1}\u001e`, false);
    await waitFor(() => this.texts().some((t) => t.startsWith('{}')), 5000, 'handshake reply');
  }

  texts(): string[] {
    return this.frames.map((f) => f.data.toString('utf8'));
  }

  /** Every JSON message received so far, split on the record separator. */
  messages(): Record<string, unknown>[] {
    return this.texts()
      .flatMap((t) => t.split('\u001e'))
      .filter((t) => t !== '')
      .map((t) => JSON.parse(t) as Record<string, unknown>);
  }

  close(): void {
    this.socket.terminate();
  }
}

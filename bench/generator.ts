/**
 * A load generator: holds receiving clients, sends broadcasts on an open-loop schedule and
 * reports what arrived, with latencies and its own CPU. Used in its own process
 * (generator-process.ts) by the benchmark and in-process by the smoke test.
 */
import http from 'node:http';

import { DEFAULT_EMULATOR_ACCESS_KEY, signJwt } from '@hubbub/signalr-emulator';

import {
  type BenchClient,
  type ClientKind,
  connectRaw,
  connectSignalRRaw,
  connectSignalRReal,
  HUB,
  type SignalRRawClient,
  TARGET,
} from './clients';
import {
  CpuMeter,
  type CpuWindow,
  LatencySink,
  type LatencySummary,
  makePayload,
  nowUs,
  pool,
  round,
  summarize,
} from './common';

export interface ConnectParams {
  kind: ClientKind;
  /** http://host:port of the server (A) or the emulator (B, C, D). */
  url: string;
  count: number;
  concurrency?: number;
  /** User ids are `${userPrefix}${index}`. */
  userPrefix?: string;
}

export interface ConnectResult {
  requested: number;
  connected: number;
  failed: number;
  ms: number;
  perSecond: number;
  firstError?: string;
  /** Clients this generator now holds. */
  total: number;
}

/** Where broadcasts go. */
export type SendTarget =
  | { kind: 'raw'; url: string }
  | { kind: 'rest'; url: string }
  /** The chat app: POST /api/messages to room general, as signed-in users (cookies from login()). */
  | { kind: 'functions'; url: string };

export interface SendParams {
  target: SendTarget;
  phase: number;
  /** Broadcasts per second. */
  rate: number;
  durationMs: number;
  payloadBytes: number;
  /** For the functions target: how many of the signed-in users take turns (default all). */
  senders?: number;
}

export interface SendResult {
  attempted: number;
  accepted: number;
  rejected: number;
  errors: number;
  /** Requests sent again after ECONNRESET on a reused keep-alive socket. */
  retries: number;
  statuses: Record<string, number>;
  achievedRate: number;
  /** Time to the HTTP answer. */
  requestMs: LatencySummary;
  firstError?: string;
}

export interface PhaseResult {
  received: number;
  stale: number;
  openClients: number;
  latency: LatencySummary;
  /** The same latencies as a histogram, so run.ts can merge generator processes. */
  histogram: [number, number][];
  cpu: CpuWindow;
}

const KEEPALIVE_PING_MS = 15_000;
const REST_PATH = `/api/hubs/${HUB}/:send?api-version=2022-06-01`;

export class LoadGenerator {
  readonly sink = new LatencySink();
  private readonly clients: BenchClient[] = [];
  private readonly signalr: SignalRRawClient[] = [];
  private readonly cpu = new CpuMeter();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private cookies: string[] = [];
  private readonly pinger: NodeJS.Timeout;

  constructor() {
    // The emulator drops a client silent for 30 s, as Azure does; the real client pings every 15 s.
    this.pinger = setInterval(() => {
      for (const client of this.signalr) client.ping();
    }, KEEPALIVE_PING_MS);
    this.pinger.unref();
  }

  async connect(params: ConnectParams): Promise<ConnectResult> {
    const started = performance.now();
    let connected = 0;
    let failed = 0;
    let firstError: string | undefined;
    const base = this.clients.length;
    await pool(params.count, params.concurrency ?? 50, async (i) => {
      const user = `${params.userPrefix ?? 'u'}${base + i}`;
      try {
        switch (params.kind) {
          case 'raw':
            this.clients.push(await connectRaw(params.url, this.sink));
            break;
          case 'signalr-raw': {
            const client = await connectSignalRRaw(params.url, user, this.sink);
            this.clients.push(client);
            this.signalr.push(client);
            break;
          }
          case 'signalr-real':
            this.clients.push(await connectSignalRReal(params.url, user, this.sink));
            break;
        }
        connected++;
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    });
    const ms = performance.now() - started;
    return {
      requested: params.count,
      connected,
      failed,
      ms: round(ms),
      perSecond: round((connected / ms) * 1000, 1),
      firstError,
      total: this.clients.length,
    };
  }

  /** Signs `count` users in through the Functions host's dev login and keeps their cookies. */
  async login(params: { url: string; count: number; prefix: string }): Promise<number> {
    this.cookies = [];
    await pool(params.count, 8, async (i) => {
      const response = await fetch(`${params.url}/.auth/login/dev`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name: `${params.prefix}${i}` }).toString(),
        redirect: 'manual',
      });
      const cookie = response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('AppServiceAuthSession='));
      if (!cookie) throw new Error(`dev login answered ${response.status} without a session cookie`);
      this.cookies.push(cookie);
    });
    return this.cookies.length;
  }

  openClients(): number {
    return this.clients.reduce((n, c) => n + (c.open ? 1 : 0), 0);
  }

  begin(phase: number): null {
    this.sink.reset(phase);
    this.cpu.reset();
    return null;
  }

  progress(): { received: number } {
    return { received: this.sink.received };
  }

  end(): PhaseResult {
    return {
      received: this.sink.received,
      stale: this.sink.stale,
      openClients: this.openClients(),
      latency: this.sink.summary(),
      histogram: this.sink.histogram(),
      cpu: this.cpu.read(),
    };
  }

  /** Sends `rate` broadcasts a second for `durationMs`, on a fixed schedule whatever the answers. */
  async send(params: SendParams): Promise<SendResult> {
    const { target } = params;
    const total = Math.max(1, Math.round((params.rate * params.durationMs) / 1000));
    const periodMs = 1000 / params.rate;
    const restToken = signJwt(
      {
        aud: `http://localhost${REST_PATH}`,
        nameid: 'bench',
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 3600,
      },
      DEFAULT_EMULATOR_ACCESS_KEY,
    );
    const result: SendResult = {
      attempted: 0,
      accepted: 0,
      rejected: 0,
      errors: 0,
      retries: 0,
      statuses: {},
      achievedRate: 0,
      requestMs: summarize([]),
    };
    const requestTimes: number[] = [];
    const inFlight: Promise<void>[] = [];
    const started = performance.now();
    for (let seq = 0; seq < total; seq++) {
      const due = started + seq * periodMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const payload = makePayload(params.phase, seq, params.payloadBytes);
      let path: string;
      let body: string;
      const headers: Record<string, string> = {};
      switch (target.kind) {
        case 'raw':
          path = '/broadcast';
          body = payload;
          headers['content-type'] = 'text/plain';
          break;
        case 'rest':
          path = REST_PATH;
          body = JSON.stringify({ target: TARGET, arguments: [payload] });
          headers['content-type'] = 'application/json';
          headers['authorization'] = `Bearer ${restToken}`;
          break;
        case 'functions':
          path = '/api/messages';
          body = JSON.stringify({ id: `b${params.phase}-${seq}`, room: 'general', text: payload });
          headers['content-type'] = 'application/json';
          headers['cookie'] = this.cookies[seq % Math.min(this.cookies.length, params.senders ?? Infinity)] ?? '';
          break;
      }
      result.attempted++;
      const sentAt = nowUs();
      inFlight.push(
        post(this.agent, target.url + path, body, headers)
          // A keep-alive socket the server closed just as we reused it: nothing was processed, send again.
          .catch((error: unknown) => {
            if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
            result.retries++;
            return post(this.agent, target.url + path, body, headers);
          })
          .then(
            (status) => {
              requestTimes.push((nowUs() - sentAt) / 1000);
              result.statuses[status] = (result.statuses[status] ?? 0) + 1;
              if (status >= 200 && status < 300) result.accepted++;
              else result.rejected++;
            },
            (error: unknown) => {
              result.errors++;
              result.firstError ??= error instanceof Error ? error.message : String(error);
            },
          ),
      );
    }
    const sendMs = performance.now() - started;
    await Promise.all(inFlight);
    result.achievedRate = round((result.attempted / Math.max(sendMs, periodMs * (total - 1), 1)) * 1000, 1);
    result.requestMs = summarize(requestTimes);
    return result;
  }

  closeAll(): null {
    for (const client of this.clients.splice(0)) client.close();
    this.signalr.splice(0);
    return null;
  }

  dispose(): void {
    this.closeAll();
    clearInterval(this.pinger);
    this.agent.destroy();
  }
}

function post(agent: http.Agent, url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(body);
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(data.length) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(data);
  });
}

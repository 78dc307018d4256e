/**
 * The receiving clients a load generator holds:
 * - `raw`: a plain `ws` client of system A;
 * - `signalr-raw`: the SignalR JSON hub protocol spoken by hand over a plain `ws` socket
 *   (negotiate v1, WebSocket with the connection token, handshake, pings both ways);
 * - `signalr-real`: the real `@microsoft/signalr` HubConnection (system C).
 * Each one stamps what it receives into a shared LatencySink.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

import { DEFAULT_EMULATOR_ACCESS_KEY, signJwt } from '@hubbub/signalr-emulator';
import {
  HttpTransportType,
  type HubConnection,
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
} from '@microsoft/signalr';

import { type LatencySink, readStamp, readStampFromString } from './common';

export type ClientKind = 'raw' | 'signalr-raw' | 'signalr-real';

export interface BenchClient {
  readonly open: boolean;
  close(): void;
}

const RS = 0x1e;
const HANDSHAKE = '{"protocol":"json","version":1}\u001e';
const PING = '{"type":6}\u001e';
const CLOSE_PREFIX = Buffer.from('{"type":7');
const CONNECT_TIMEOUT_MS = 30_000;
export const HUB = 'chat';
/** The event the benchmark broadcasts, and the one the chat app sends (so D needs no other). */
export const TARGET = 'newMessage';

/** A client token as the Functions extension mints it: aud without port, `asrs.s.uid`, 1 h. */
export function clientToken(userId: string, key = DEFAULT_EMULATOR_ACCESS_KEY): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    { aud: `http://localhost/client/?hub=${HUB}`, iat: now, nbf: now, exp: now + 3600, 'asrs.s.uid': userId },
    key,
  );
}

const CONNECT_ERROR = 'connect timeout';

/**
 * The receivers' WebSocket: a minimal client over a plain TCP socket (HTTP upgrade, then the
 * server's unmasked frames parsed in place, our few frames masked with a zero key). It costs the
 * generator a fraction of what the `ws` client does per message, so one generator core can take
 * the fan-out of one server core; A and B use the same one. Servers never fragment or compress here.
 */
export class LeanSocket {
  open = true;
  private pending: Buffer | undefined;
  onMessage: (payload: Buffer) => void = () => undefined;
  onClose: () => void = () => undefined;

  constructor(
    private readonly socket: Socket,
    head: Buffer,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('close', () => {
      this.open = false;
      this.onClose();
    });
    socket.on('error', () => undefined);
    if (head.length) queueMicrotask(() => this.data(head));
  }

  static connect(url: string, path: string, headers: Record<string, string> = {}): Promise<LeanSocket> {
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const request = http.request({
        host: target.hostname,
        port: target.port,
        path,
        agent: false,
        headers: {
          ...headers,
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        },
      });
      const timer = setTimeout(() => {
        request.destroy();
        reject(new Error(CONNECT_ERROR));
      }, CONNECT_TIMEOUT_MS);
      request.on('upgrade', (_res, socket, head) => {
        clearTimeout(timer);
        resolve(new LeanSocket(socket, head));
      });
      request.on('response', (res) => {
        clearTimeout(timer);
        res.resume();
        reject(new Error(`HTTP ${res.statusCode} on upgrade`));
      });
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end();
    });
  }

  /** A masked text frame (zero mask key: XOR with 0 leaves the payload as it is). */
  sendText(text: string): void {
    if (!this.open) return;
    const payload = Buffer.from(text);
    const n = payload.length;
    const head = n < 126 ? Buffer.from([0x81, 0x80 | n]) : Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff]);
    this.socket.write(Buffer.concat([head, Buffer.alloc(4), payload]));
  }

  terminate(): void {
    this.open = false;
    this.socket.destroy();
  }

  private data(chunk: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let at = 0;
    for (;;) {
      const left = buffer.length - at;
      if (left < 2) break;
      const short = buffer[at + 1] & 0x7f;
      let header = 2;
      let length = short;
      if (short === 126) {
        if (left < 4) break;
        length = buffer.readUInt16BE(at + 2);
        header = 4;
      } else if (short === 127) {
        if (left < 10) break;
        length = Number(buffer.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (left < header + length) break;
      const opcode = buffer[at] & 0x0f;
      const payload = buffer.subarray(at + header, at + header + length);
      at += header + length;
      if (opcode === 1 || opcode === 2) this.onMessage(payload);
      else if (opcode === 8) this.terminate();
    }
    if (at < buffer.length) this.pending = Buffer.from(buffer.subarray(at));
  }
}

/** System A's client: every message is one payload. */
export async function connectRaw(url: string, sink: LatencySink): Promise<BenchClient> {
  const socket = await LeanSocket.connect(url, '/');
  socket.onMessage = (data) => sink.record(readStamp(data));
  return {
    get open() {
      return socket.open;
    },
    close: () => socket.terminate(),
  };
}

export interface SignalRRawClient extends BenchClient {
  /** Send the keep-alive ping the real client sends every 15 s. */
  ping(): void;
  closedByServer: boolean;
}

/** Negotiate v1, then WebSocket with the connection token, then the JSON handshake. */
export async function connectSignalRRaw(url: string, userId: string, sink: LatencySink): Promise<SignalRRawClient> {
  const token = clientToken(userId);
  const response = await fetch(`${url}/client/negotiate?hub=${HUB}&negotiateVersion=1`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`negotiate answered ${response.status}`);
  const body = (await response.json()) as { connectionToken?: string };
  if (!body.connectionToken) throw new Error('negotiate gave no connectionToken');
  const socket = await LeanSocket.connect(url, `/client/?hub=${HUB}&id=${encodeURIComponent(body.connectionToken)}`, {
    Authorization: `Bearer ${token}`,
  });
  const client: SignalRRawClient = {
    closedByServer: false,
    get open() {
      return socket.open && !client.closedByServer;
    },
    ping: () => socket.sendText(PING),
    close: () => socket.terminate(),
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('handshake timeout')), CONNECT_TIMEOUT_MS);
    socket.onMessage = (data: Buffer) => {
      clearTimeout(timer);
      const text = data.toString('utf8');
      if (!text.startsWith('{}')) {
        reject(new Error(`handshake refused: ${text}`));
        return;
      }
      socket.onMessage = (frame: Buffer) => onFrame(frame, sink, client);
      // Records after the handshake's in the same frame.
      const rest = data.indexOf(RS);
      if (rest >= 0 && rest + 1 < data.length) onFrame(data.subarray(rest + 1), sink, client);
      resolve();
    };
    socket.onClose = () => reject(new Error('closed during handshake'));
    socket.sendText(HANDSHAKE);
  });
  socket.onClose = () => undefined;
  return client;
}

/** One WebSocket frame may carry several records, each ended by 0x1E. */
function onFrame(frame: Buffer, sink: LatencySink, client: SignalRRawClient): void {
  let start = 0;
  while (start < frame.length) {
    let end = frame.indexOf(RS, start);
    if (end < 0) end = frame.length;
    // Invocations carry the marker; pings ({"type":6}) need nothing; Close ends the connection.
    const record = frame.subarray(start, end);
    const stamp = readStamp(record);
    if (stamp) sink.record(stamp);
    else if (record.subarray(0, CLOSE_PREFIX.length).equals(CLOSE_PREFIX)) client.closedByServer = true;
    start = end + 1;
  }
}

/** System C: the real client, negotiating and picking WebSockets as a browser would. */
export async function connectSignalRReal(url: string, userId: string, sink: LatencySink): Promise<BenchClient> {
  const token = clientToken(userId);
  const connection: HubConnection = new HubConnectionBuilder()
    .withUrl(`${url}/client/?hub=${HUB}`, {
      accessTokenFactory: () => token,
      transport: HttpTransportType.WebSockets,
    })
    .configureLogging(LogLevel.None)
    .build();
  connection.on(TARGET, (arg: unknown) => {
    const text = typeof arg === 'string' ? arg : (arg as { text?: unknown } | null)?.text;
    if (typeof text === 'string') sink.record(readStampFromString(text));
  });
  await connection.start();
  return {
    get open() {
      return connection.state === HubConnectionState.Connected;
    },
    close: () => void connection.stop().catch(() => undefined),
  };
}

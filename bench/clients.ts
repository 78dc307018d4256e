/**
 * The receiving clients a load generator holds:
 * - `raw`: a plain `ws` client of system A;
 * - `signalr-raw`: the SignalR JSON hub protocol spoken by hand over a plain `ws` socket
 *   (negotiate v1, WebSocket with the connection token, handshake, pings both ways);
 * - `signalr-real`: the real `@microsoft/signalr` HubConnection (system C).
 * Each one stamps what it receives into a shared LatencySink.
 */
import {
  HttpTransportType,
  type HubConnection,
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
} from '@microsoft/signalr';
import WebSocket from 'ws';

import { DEFAULT_EMULATOR_ACCESS_KEY } from '../local/shared/connection-string';
import { signJwt } from '../local/shared/jwt';
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

function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`HTTP ${res.statusCode} on upgrade`));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** System A's client: every message is one payload. */
export async function connectRaw(url: string, sink: LatencySink): Promise<BenchClient> {
  const socket = new WebSocket(wsUrl(url), { perMessageDeflate: false, skipUTF8Validation: true });
  socket.on('message', (data: Buffer) => sink.record(readStamp(data)));
  socket.on('error', () => undefined);
  await opened(socket);
  return {
    get open() {
      return socket.readyState === WebSocket.OPEN;
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
  const socket = new WebSocket(`${wsUrl(url)}/client/?hub=${HUB}&id=${encodeURIComponent(body.connectionToken)}`, {
    perMessageDeflate: false,
    skipUTF8Validation: true,
    headers: { Authorization: `Bearer ${token}` },
  });
  socket.on('error', () => undefined);
  await opened(socket);
  const client: SignalRRawClient = {
    closedByServer: false,
    get open() {
      return socket.readyState === WebSocket.OPEN && !client.closedByServer;
    },
    ping: () => {
      if (socket.readyState === WebSocket.OPEN) socket.send(PING);
    },
    close: () => socket.terminate(),
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('handshake timeout')), CONNECT_TIMEOUT_MS);
    socket.once('message', (data: Buffer) => {
      clearTimeout(timer);
      const text = data.toString('utf8');
      if (!text.startsWith('{}')) {
        reject(new Error(`handshake refused: ${text}`));
        return;
      }
      socket.on('message', (frame: Buffer) => onFrame(frame, sink, client));
      resolve();
    });
    socket.once('close', () => reject(new Error('closed during handshake')));
    socket.send(HANDSHAKE);
  });
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

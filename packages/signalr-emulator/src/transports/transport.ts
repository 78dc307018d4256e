/**
 * What a transport is to a connection and a connection to a transport. Declared here, beside the
 * transports, so they depend on nothing above them; ClientConnection implements TransportPeer.
 */
import type { HubProtocol, Outbound } from '../protocol/hub-protocol';

export type TransportName = 'WebSockets' | 'ServerSentEvents' | 'LongPolling';

export interface Transport {
  readonly name: TransportName;
  readonly supportsBinary: boolean;
  /** Long polling proves liveness by polling, so the client sends no pings and we send none. */
  readonly inherentKeepAlive: boolean;
  /** The handshake reply, before a protocol is settled: always text. */
  sendHandshake(bytes: Buffer): void;
  send(message: Outbound, protocol: HubProtocol): void;
  /** Ends the transport after whatever was already sent. */
  close(): void;
  /** True while the transport itself shows the client is there (an open long poll). */
  isActive?(): boolean;
}

/**
 * Unsent bytes a connection may hold (its socket's write buffer, or long polling's queue) before it
 * is cut: a client that does not keep up gets every message or is disconnected (and reconnects),
 * never skipped. The default; EmulatorOptions.maxBufferedBytes sets it.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/** Why a slow client was cut: what the log, upstream's disconnected event and a test see. */
export function slowClientError(unsentBytes: number, limit: number): string {
  return `The client did not keep up: ${unsentBytes} bytes were waiting to be sent (the limit is ${limit}).`;
}

/** The connection a transport carries: it hands over the client's bytes and reports the client gone. */
export interface TransportPeer {
  /** The bound on unsent bytes (DEFAULT_MAX_BUFFERED_BYTES unless configured). */
  readonly maxBufferedBytes: number;
  /** Bytes from the client, in order. */
  receive(data: Buffer): void;
  /** The transport went away (or failed): nothing more is sent. */
  abort(error?: string): void;
}

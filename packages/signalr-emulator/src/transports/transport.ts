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

/** The connection a transport carries: it hands over the client's bytes and reports the client gone. */
export interface TransportPeer {
  /** Bytes from the client, in order. */
  receive(data: Buffer): void;
  /** The transport went away (or failed): nothing more is sent. */
  abort(error?: string): void;
}

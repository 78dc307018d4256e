/**
 * One client connection, whatever its transport: handshake, protocol parsing, keep-alive and
 * closing. Transports feed it bytes and carry its frames; the service is told what happens.
 */
import type { Principal } from './auth';
import {
  HANDSHAKE_OK,
  handshakeError,
  HandshakeReader,
  type HubProtocol,
  type InboundMessage,
  MAX_PROTOCOL_VERSION,
  type MessageParser,
  MessageType,
  Outbound,
  ProtocolError,
  type ProtocolName,
  PROTOCOLS,
} from './protocol/hub-protocol';
import type { Member } from './registry';
import type { Transport, TransportPeer } from './transports/transport';

export interface ConnectionEvents {
  connected(connection: ClientConnection): void;
  invocation(connection: ClientConnection, message: InboundMessage): void;
  closed(connection: ClientConnection, error: string | undefined): void;
}

export interface Timing {
  readonly handshakeTimeoutMs: number;
  readonly keepAliveIntervalMs: number;
  readonly clientTimeoutMs: number;
  /** How long a negotiated id waits for its transport. */
  readonly negotiateTimeoutMs: number;
  readonly maxMessageBytes: number;
  /** Unsent bytes a connection may hold before it is cut (transports/transport.ts). */
  readonly maxBufferedBytes: number;
}

export type ConnectionState = 'negotiated' | 'handshaking' | 'connected' | 'closed';

const HANDSHAKE_MAX_BYTES = 4096;
/**
 * The connection's own timestamps are int32 ms since this, not ms since 1970: small integers stay
 * in the object's fields, where epoch milliseconds would each be a separate 16-byte heap number.
 * They wrap after 24.8 days; `elapsed` subtracts modulo 2^32, right for any span under that.
 */
const EPOCH = Date.now();

function stamp(wallMs: number): number {
  return (wallMs - EPOCH) | 0;
}

function elapsed(now: number, since: number): number {
  return (now - since) | 0;
}
const STREAMING_NOT_SUPPORTED = 'Client streaming is not supported by Azure SignalR Service in serverless mode.';

export class ClientConnection implements Member, TransportPeer {
  // Field order is layout: a broadcast reads state, transport, protocol, now and lastSent of every
  // recipient, so they come first and share the object's first cache line (1,000 recipients are
  // 1,000 objects the fan-out walks; each further line it touches is a memory read more).
  state: ConnectionState = 'negotiated';
  transport?: Transport = undefined;
  protocol?: HubProtocol = undefined;
  private readonly now: () => number;
  private lastSent = 0;
  readonly connectionId: string;
  /** What transports pass as `id`: the secret connectionToken, or the connectionId for negotiate v0. */
  readonly token: string;
  readonly hub: string;
  /** The principal's two parts, kept as fields: no object per connection to hold them. */
  userId: string | undefined;
  private claims: Principal['claims'];
  /**
   * The connect request's query without `access_token` (upstream's X-ASRS-Client-Query), kept only
   * when it is not the usual `?hub=<hub>&id=<token>`, which is rebuilt on demand instead.
   */
  private unusualQuery: string | undefined = '';
  /** Set while a transport is being set up, so a second one for the same id gets 409. */
  transportReserved = false;
  /** Set while a POST's body is being fed in (SSE, long polling), so overlapping POSTs get 409. */
  posting = false;
  closedAt = 0;
  closeError?: string;
  /** The hub registry's group bookkeeping (Member). */
  directGroups?: Set<string> = undefined;
  groups?: Set<string> = undefined;

  /** When the current state began (negotiated: created; handshaking: transport attached). */
  private since: number;
  private lastReceived = 0;
  /** Dropped once the handshake is done: idle connections are most of the memory. */
  private handshake?: HandshakeReader = new HandshakeReader(HANDSHAKE_MAX_BYTES);
  /** Made when bytes arrive and dropped again once it holds no partial message (idle = none). */
  private parser?: MessageParser;
  private readonly events: ConnectionEvents;
  private readonly timing: Timing;

  constructor(
    connectionId: string,
    token: string,
    hub: string,
    principal: Principal,
    events: ConnectionEvents,
    timing: Timing,
    now: () => number = Date.now,
  ) {
    this.connectionId = connectionId;
    this.token = token;
    this.hub = hub;
    this.events = events;
    this.timing = timing;
    this.now = now;
    this.userId = principal.userId;
    this.claims = principal.claims;
    this.since = stamp(now());
  }

  get maxBufferedBytes(): number {
    return this.timing.maxBufferedBytes;
  }

  get principal(): Principal {
    return { userId: this.userId, claims: this.claims };
  }

  get clientQuery(): string {
    return this.unusualQuery ?? `?hub=${encodeURIComponent(this.hub)}&id=${encodeURIComponent(this.token)}`;
  }

  attach(transport: Transport, principal: Principal, clientQuery: string): void {
    this.transport = transport;
    this.userId = principal.userId;
    this.claims = principal.claims;
    this.unusualQuery =
      clientQuery === `?hub=${encodeURIComponent(this.hub)}&id=${encodeURIComponent(this.token)}`
        ? undefined
        : clientQuery;
    this.state = 'handshaking';
    this.since = this.lastReceived = stamp(this.now());
  }

  /** Bytes from the client, in order. */
  receive(data: Buffer): void {
    if (this.state === 'closed') return;
    this.lastReceived = stamp(this.now());
    try {
      if (this.state === 'handshaking') {
        this.handshake ??= new HandshakeReader(HANDSHAKE_MAX_BYTES);
        const done = this.handshake.push(data);
        if (!done) return;
        this.handshake = undefined;
        if (!this.completeHandshake(done.request.protocol, done.request.version)) return;
        if (done.rest.length === 0) return;
        data = done.rest;
      }
      if (this.state !== 'connected' || !this.protocol) return;
      // A keep-alive ping alone (every client sends one each 15 s, 1,000 clients ~67/s): the same
      // bytes the service sends, so nothing to parse and nothing to dispatch.
      if (this.parser === undefined && data.equals(this.protocol.ping)) return;
      const parser = (this.parser ??= this.protocol.createParser(this.timing.maxMessageBytes));
      const messages = parser.push(data);
      if (!parser.holdsPartial) this.parser = undefined;
      for (const message of messages) {
        this.dispatch(message);
        if (this.state !== 'connected') return;
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      if (this.state === 'handshaking') {
        this.transport?.sendHandshake(handshakeError(error.message));
        this.abort(error.message);
      } else {
        this.close(`Connection closed with an error. ${error.message}`, false);
      }
    }
  }

  send(message: Outbound): void {
    if (this.state !== 'connected' || !this.transport || !this.protocol) return;
    this.lastSent = stamp(this.now());
    this.transport.send(message, this.protocol);
  }

  /** Server-side close: a Close message (when the handshake is done), then the transport ends. */
  close(reason: string | undefined, allowReconnect: boolean): void {
    if (this.state === 'closed') return;
    if (this.state === 'connected' && this.transport && this.protocol) {
      const protocol = this.protocol;
      this.transport.send(
        Outbound.of((p) => p.frameClose(reason, allowReconnect)),
        protocol,
      );
    }
    this.finish(reason);
  }

  /** The transport went away or the client said Close: nothing more is sent. */
  abort(error?: string): void {
    this.finish(error);
  }

  /** Called by the service's timer: handshake timeout, keep-alive pings, client timeout. */
  tick(wallNow: number): void {
    const now = stamp(wallNow);
    switch (this.state) {
      case 'negotiated':
        // Still negotiated means no transport ever attached, reserved or not (a reservation whose
        // WebSocket upgrade never completed must not keep the id alive for ever).
        if (elapsed(now, this.since) > this.timing.negotiateTimeoutMs) {
          this.abort('The negotiated connection was not used in time.');
        }
        return;
      case 'handshaking':
        if (elapsed(now, this.since) > this.timing.handshakeTimeoutMs) {
          this.abort('Handshake was not received in time.');
        }
        return;
      case 'connected': {
        const transport = this.transport;
        if (!transport) return;
        if (transport.isActive?.()) this.lastReceived = now;
        if (elapsed(now, this.lastReceived) > this.timing.clientTimeoutMs) {
          this.close('Client timeout elapsed without receiving a message from the client.', false);
          return;
        }
        if (!transport.inherentKeepAlive && elapsed(now, this.lastSent) >= this.timing.keepAliveIntervalMs) {
          this.send(Outbound.ping);
        }
        return;
      }
      case 'closed':
        return;
    }
  }

  private completeHandshake(name: string, version: number): boolean {
    const transport = this.transport;
    if (!transport) return false;
    const protocol = Object.prototype.hasOwnProperty.call(PROTOCOLS, name)
      ? PROTOCOLS[name as ProtocolName]
      : undefined;
    let error: string | undefined;
    if (!protocol) error = `The protocol '${name}' is not supported.`;
    else if (version < 1 || version > MAX_PROTOCOL_VERSION)
      error = `The server does not support version ${version} of the '${name}' protocol.`;
    else if (protocol.binary && !transport.supportsBinary)
      error = `Cannot use the '${name}' protocol on the current transport. The transport does not support 'Binary' transfer format.`;
    if (error || !protocol) {
      transport.sendHandshake(handshakeError(error ?? 'Handshake failed.'));
      this.abort(error);
      return false;
    }
    this.protocol = protocol;
    transport.sendHandshake(HANDSHAKE_OK);
    this.state = 'connected';
    this.lastSent = stamp(this.now());
    this.events.connected(this);
    return this.state === 'connected';
  }

  private dispatch(message: InboundMessage): void {
    switch (message.type) {
      case MessageType.Invocation:
        this.events.invocation(this, message);
        return;
      case MessageType.StreamInvocation:
        // Serverless mode has no hub to stream from; answer so the client's stream does not hang.
        if (message.invocationId) {
          this.send(
            Outbound.of((p) => p.frameCompletion(message.invocationId as string, { error: STREAMING_NOT_SUPPORTED })),
          );
        }
        return;
      case MessageType.Close:
        this.abort(message.error);
        return;
      case MessageType.Ping:
      case MessageType.Completion:
      case MessageType.StreamItem:
      case MessageType.CancelInvocation:
      case MessageType.Ack:
      case MessageType.Sequence:
        // Nothing in serverless mode consumes these; the service drops them too.
        return;
      default:
        throw new ProtocolError(`Unknown message type ${message.type}.`);
    }
  }

  private finish(error: string | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedAt = this.now();
    this.closeError = error;
    this.transport?.close();
    this.events.closed(this, error);
  }
}

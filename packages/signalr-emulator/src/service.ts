/**
 * The emulated service's state: hubs, negotiated and live connections, the keep-alive timer and
 * the hand-off of client events to upstream. The HTTP surfaces (client endpoint, REST API) call in.
 */
import { randomBytes } from 'node:crypto';

import type { AuthSettings, Principal } from './auth';
import { ClientConnection, type ConnectionEvents, type Timing } from './connection';
import { type InboundMessage, Outbound } from './protocol/hub-protocol';
import { HubRegistry } from './registry';

export interface ServiceSettings extends AuthSettings, Timing {
  readonly longPollTimeoutMs: number;
  readonly maxRestBodyBytes: number;
  /** How long a closed connection's id still answers (so a long poll can collect its Close). */
  readonly closedLingerMs: number;
  /** Browser origins that may use the client endpoint (origins.ts). */
  readonly allowedOrigins: readonly string[];
}

/** What the service tells the upstream webhook; see upstream.ts. */
export interface UpstreamHooks {
  connected(connection: ClientConnection): void;
  disconnected(connection: ClientConnection, error: string | undefined): void;
  invocation(connection: ClientConnection, message: InboundMessage): void;
}

const NO_UPSTREAM_ERROR = 'No upstream is configured for this event.';

/** Fallback when no upstream settings are given: an awaited invoke() fails instead of hanging. */
export const noUpstream: UpstreamHooks = {
  connected: () => undefined,
  disconnected: () => undefined,
  invocation: (connection, message) => {
    const id = message.invocationId;
    if (id) connection.send(Outbound.of((p) => p.frameCompletion(id, { error: NO_UPSTREAM_ERROR })));
  },
};

export class EmulatorService implements ConnectionEvents {
  readonly hubs = new HubRegistry();
  /** Every connection by the id its transports use (connectionToken, or connectionId for v0). */
  private readonly byToken = new Map<string, ClientConnection>();
  private readonly timer: NodeJS.Timeout;
  upstream: UpstreamHooks = noUpstream;

  constructor(
    readonly settings: ServiceSettings,
    private readonly log: (line: string) => void,
  ) {
    const shortest = Math.min(settings.handshakeTimeoutMs, settings.keepAliveIntervalMs, settings.clientTimeoutMs);
    // Check often enough that each deadline is met within about a tenth of its length.
    const tickMs = Math.max(5, Math.min(1000, Math.floor(shortest / 10)));
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  /** A connection that exists only as a negotiate answer until its transport arrives. */
  createConnection(hub: string, principal: Principal, negotiateVersion: number): ClientConnection {
    const connectionId = newId();
    const token = negotiateVersion >= 1 ? newId() : connectionId;
    const connection = new ClientConnection(connectionId, token, hub.toLowerCase(), principal, this, this.settings);
    this.byToken.set(token, connection);
    return connection;
  }

  findByToken(token: string): ClientConnection | undefined {
    return this.byToken.get(token);
  }

  get connectionCount(): number {
    return this.byToken.size;
  }

  connected(connection: ClientConnection): void {
    this.hubs.get(connection.hub).add(connection);
    this.log(
      `connection opened  hub=${connection.hub} id=${connection.connectionId} user=${connection.userId ?? '-'} ` +
        `transport=${connection.transport?.name ?? '-'} protocol=${connection.protocol?.name ?? '-'}`,
    );
    this.upstream.connected(connection);
  }

  invocation(connection: ClientConnection, message: InboundMessage): void {
    this.upstream.invocation(connection, message);
  }

  closed(connection: ClientConnection, error: string | undefined): void {
    const hub = this.hubs.find(connection.hub);
    const wasConnected = hub?.hasConnection(connection.connectionId) ?? false;
    hub?.remove(connection.connectionId);
    if (!wasConnected) {
      // Never got past negotiate or handshake: forget it at once, nobody upstream knew it.
      if (connection.transport?.name !== 'LongPolling') this.byToken.delete(connection.token);
      return;
    }
    this.log(`connection closed  hub=${connection.hub} id=${connection.connectionId}${error ? ` (${error})` : ''}`);
    this.upstream.disconnected(connection, error);
  }

  /** Ends every connection without ceremony (shutdown). */
  closeAll(): void {
    clearInterval(this.timer);
    for (const connection of this.byToken.values()) connection.abort('The emulator is shutting down.');
    this.byToken.clear();
  }

  private tick(): void {
    const now = Date.now();
    for (const [token, connection] of this.byToken) {
      connection.tick(now);
      if (connection.state === 'closed' && now - connection.closedAt >= this.settings.closedLingerMs) {
        this.byToken.delete(token);
      }
    }
    for (const hub of this.hubs.values()) hub.expireMemberships();
  }
}

/** 128 random bits, URL-safe: ids travel in query strings. */
function newId(): string {
  return randomBytes(16).toString('base64url');
}

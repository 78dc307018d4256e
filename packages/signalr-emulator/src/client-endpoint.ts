/**
 * The `/client` endpoint clients are redirected to: negotiate, the three transports, CORS.
 * Status codes follow ASP.NET Core's connection dispatcher (docs/signalr-service-contract.md §2.4-2.5).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer } from 'ws';

import { authenticateClient, extractToken, type Principal, sendUnauthorized } from './auth';
import type { ClientConnection } from './connection';
import { BodyTooLargeError, readBody, refuseBody, sendJson, sendStatus } from './http-util';
import { originAllowed } from './origins';
import type { EmulatorService } from './service';
import { LongPollingTransport } from './transports/long-polling';
import { ServerSentEventsTransport } from './transports/server-sent-events';
import { HubWebSocket, WebSocketTransport } from './transports/websocket';

const AVAILABLE_TRANSPORTS = [
  { transport: 'WebSockets', transferFormats: ['Text', 'Binary'] },
  { transport: 'ServerSentEvents', transferFormats: ['Text'] },
  { transport: 'LongPolling', transferFormats: ['Text', 'Binary'] },
];

const CORS_ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
const CORS_MAX_AGE_SECONDS = '600';

type Headers = Record<string, string>;

export class ClientEndpoint {
  private readonly wss: WebSocketServer;

  constructor(private readonly service: EmulatorService) {
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: service.settings.maxMessageBytes,
      WebSocket: HubWebSocket,
    });
  }

  /** True when the path belongs to this endpoint. */
  static matches(pathname: string): boolean {
    return pathname === '/client' || pathname.startsWith('/client/');
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // A page from elsewhere gets no CORS headers and no answer, preflight or not.
    if (!originAllowed(req.headers.origin, this.service.settings.allowedOrigins)) {
      req.resume();
      return sendStatus(res, 403, {}, 'This origin may not use the SignalR endpoint.');
    }
    const cors = corsHeaders(req);
    if (req.method === 'OPTIONS') {
      sendStatus(res, 204, {
        ...cors,
        'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS,
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
        'Access-Control-Max-Age': CORS_MAX_AGE_SECONDS,
      });
      return;
    }
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/client/negotiate') return this.negotiate(req, res, url, cors);
    if (path !== '/client') return sendStatus(res, 404, cors);

    const hub = singleHub(url.searchParams);
    if (!hub) return sendStatus(res, 400, cors, 'A single hub query parameter is required.');
    const sse = req.method === 'GET' && (req.headers.accept ?? '').includes('text/event-stream');
    const auth = authenticateClient(req, extractToken(req, url.searchParams, sse), hub, this.service.settings);
    if (!auth.ok) return sendUnauthorized(res, auth.reason, cors);
    const id = url.searchParams.get('id');
    if (!id) return sendStatus(res, 400, cors, 'Connection ID required');
    const connection = this.service.findByToken(id);
    if (!connection || connection.hub !== hub.toLowerCase()) {
      return sendStatus(res, 404, cors, 'No Connection with that ID');
    }

    switch (req.method) {
      case 'GET':
        return sse
          ? this.startServerSentEvents(res, connection, auth.principal, url, cors)
          : this.longPoll(res, connection, auth.principal, url, cors);
      case 'POST':
        return this.receive(req, res, connection, cors);
      case 'DELETE':
        return this.stopLongPolling(res, connection, cors);
      default:
        return sendStatus(res, 405, { ...cors, Allow: CORS_ALLOWED_METHODS });
    }
  }

  /** WebSocket upgrades on `/client/?hub=…[&id=…]`; without `id` this is a connect without negotiate. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const refuse = (status: number, reason: string, headers: Headers = {}): void => {
      const lines = [`HTTP/1.1 ${status} ${reason}`, 'Connection: close', 'Content-Length: 0'];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      socket.end(lines.join('\r\n') + '\r\n\r\n');
    };
    // A module-level listener: a closure made here would keep this call's context (the URL, the
    // request's strings) alive as long as the socket lives.
    socket.on('error', ignoreError);
    if (url.pathname.replace(/\/+$/, '') !== '/client') return refuse(404, 'Not Found');
    // Browsers send Origin on every WebSocket handshake and never enforce CORS on it: this is the check.
    if (!originAllowed(req.headers.origin, this.service.settings.allowedOrigins)) return refuse(403, 'Forbidden');
    const hub = singleHub(url.searchParams);
    if (!hub) return refuse(400, 'Bad Request');
    const auth = authenticateClient(req, extractToken(req, url.searchParams, true), hub, this.service.settings);
    if (!auth.ok) {
      const description = auth.reason.replace(/["\\\r\n]/g, ' ');
      return refuse(401, 'Unauthorized', {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
      });
    }
    const id = url.searchParams.get('id');
    let connection: ClientConnection | undefined;
    if (id === null) {
      connection = this.service.createConnection(hub, auth.principal, 1);
    } else {
      connection = this.service.findByToken(id);
      if (!connection || connection.hub !== hub.toLowerCase() || connection.state === 'closed') {
        return refuse(404, 'Not Found');
      }
      if (connection.transport || connection.transportReserved) return refuse(409, 'Conflict');
    }
    const target = connection;
    target.transportReserved = true;
    let accepted = false;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      accepted = true;
      if (target.state === 'closed') {
        ws.terminate();
        return;
      }
      target.attach(new WebSocketTransport(ws, target), auth.principal, clientQuery(url));
    });
    // ws calls back synchronously when it accepts (we use no async verifyClient); no call means it
    // refused the upgrade (bad Sec-WebSocket-* headers) or the socket was already gone. Release the
    // id so the client can fall back to another transport, and forget a connection made just now.
    if (!accepted) {
      if (id === null) target.abort('The WebSocket upgrade failed.');
      else target.transportReserved = false;
    }
  }

  /** Cuts every WebSocket at once (shutdown); streams and polls end with their connections. */
  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private negotiate(req: IncomingMessage, res: ServerResponse, url: URL, cors: Headers): void {
    if (req.method !== 'POST') return sendStatus(res, 405, { ...cors, Allow: 'POST, OPTIONS' });
    const hub = singleHub(url.searchParams);
    if (!hub) return sendStatus(res, 400, cors, 'A single hub query parameter is required.');
    const auth = authenticateClient(req, extractToken(req, url.searchParams, false), hub, this.service.settings);
    if (!auth.ok) return sendUnauthorized(res, auth.reason, cors);
    const version = Number(url.searchParams.get('negotiateVersion') ?? '0');
    const negotiateVersion = Number.isInteger(version) && version >= 1 ? 1 : 0;
    const connection = this.service.createConnection(hub, auth.principal, negotiateVersion);
    // Drain the (empty) body so keep-alive connections stay usable.
    req.resume();
    sendJson(
      res,
      200,
      negotiateVersion >= 1
        ? {
            negotiateVersion,
            connectionId: connection.connectionId,
            connectionToken: connection.token,
            availableTransports: AVAILABLE_TRANSPORTS,
          }
        : { connectionId: connection.connectionId, availableTransports: AVAILABLE_TRANSPORTS },
      cors,
    );
  }

  private startServerSentEvents(
    res: ServerResponse,
    connection: ClientConnection,
    principal: Principal,
    url: URL,
    cors: Headers,
  ): void {
    if (connection.state === 'closed') return sendStatus(res, 404, cors, 'No Connection with that ID');
    if (connection.transport || connection.transportReserved) return sendStatus(res, 409, cors);
    connection.transportReserved = true;
    connection.attach(new ServerSentEventsTransport(res, connection, cors), principal, clientQuery(url));
  }

  private longPoll(
    res: ServerResponse,
    connection: ClientConnection,
    principal: Principal,
    url: URL,
    cors: Headers,
  ): void {
    const transport = connection.transport;
    if (!transport) {
      if (connection.state === 'closed' || connection.transportReserved) return sendStatus(res, 409, cors);
      const poller = new LongPollingTransport(this.service.settings.longPollTimeoutMs, connection);
      connection.transportReserved = true;
      connection.attach(poller, principal, clientQuery(url));
      poller.confirm(res, cors);
      return;
    }
    if (!(transport instanceof LongPollingTransport)) {
      return sendStatus(res, 400, cors, 'Cannot change transports between requests.');
    }
    transport.handlePoll(res, cors);
  }

  private async receive(
    req: IncomingMessage,
    res: ServerResponse,
    connection: ClientConnection,
    cors: Headers,
  ): Promise<void> {
    const transport = connection.transport;
    if (connection.state === 'closed') return sendStatus(res, 404, cors, 'No Connection with that ID');
    if (!transport) return sendStatus(res, 409, cors);
    if (transport.name === 'WebSockets') {
      return sendStatus(res, 405, cors, 'POST requests are not allowed for WebSocket connections.');
    }
    if (connection.posting) return sendStatus(res, 409, cors, 'Another send request is in progress.');
    connection.posting = true;
    let body: Buffer;
    try {
      body = await readBody(req, this.service.settings.maxMessageBytes);
    } catch (error) {
      connection.posting = false;
      if (error instanceof BodyTooLargeError) return refuseBody(res, 413, cors);
      return sendStatus(res, 400, cors);
    }
    connection.posting = false;
    connection.receive(body);
    sendStatus(res, 200, cors);
  }

  private stopLongPolling(res: ServerResponse, connection: ClientConnection, cors: Headers): void {
    const transport = connection.transport;
    if (transport && !(transport instanceof LongPollingTransport)) {
      return sendStatus(res, 400, cors, 'Cannot terminate this connection using the DELETE endpoint.');
    }
    connection.abort();
    sendStatus(res, 202, cors);
  }
}

function ignoreError(): void {
  // The connection's own handlers deal with a socket that fails.
}

/** Echo the origin with credentials: the client always sends credentials, so `*` would fail. */
function corsHeaders(req: IncomingMessage): Headers {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    Vary: 'Origin',
  };
}

function singleHub(query: URLSearchParams): string | undefined {
  const hubs = query.getAll('hub');
  return hubs.length === 1 && hubs[0] ? hubs[0] : undefined;
}

/** The connect request's query for upstream, minus the token, which must not travel further. */
function clientQuery(url: URL): string {
  const query = new URLSearchParams(url.search);
  query.delete('access_token');
  const text = query.toString();
  // Copied into one flat string: the parts URLSearchParams joined would each stay allocated for
  // the connection's life.
  return text ? Buffer.from(`?${text}`, 'latin1').toString('latin1') : '';
}

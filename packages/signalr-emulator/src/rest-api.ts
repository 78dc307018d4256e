/**
 * The data-plane REST API (`/api/...`): auth, validation, payload parsing and the status codes
 * the swagger files give, with the `x-ms-error-code` headers the Management SDK relies on (§5.5).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { decode } from '@msgpack/msgpack';

import { authenticateRest, sendUnauthorized } from './auth';
import { BodyTooLargeError, readBody, refuseBody, sendJson, sendStatus } from './http-util';
import {
  Outbound,
  type ProtocolName,
  PROTOCOLS,
  readVarInt,
  RECORD_SEPARATOR,
  writeVarInt,
} from './protocol/hub-protocol';
import type { Hub, Member } from './registry';
import { type ApiVersion, matchRoute, type Operation, type RouteParams } from './rest-routes';
import type { EmulatorService } from './service';

/** Hub names the service accepts (swagger `hub` pattern). */
const HUB_PATTERN = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;
const MAX_GROUP_LENGTH = 1024;

/** Success status per operation: [2022-06-01, v1]. */
const SUCCESS: Record<Operation, readonly [number, number]> = {
  broadcast: [202, 202],
  sendToUser: [202, 202],
  sendToConnection: [202, 202],
  sendToGroup: [202, 202],
  closeAll: [204, 204],
  closeGroup: [204, 204],
  closeUser: [204, 204],
  closeConnection: [200, 202],
  connectionExists: [200, 200],
  groupExists: [200, 200],
  userExists: [200, 200],
  addConnectionToGroup: [200, 200],
  removeConnectionFromGroup: [200, 200],
  removeConnectionFromAllGroups: [200, 200],
  addUserToGroup: [200, 202],
  removeUserFromGroup: [204, 202],
  userInGroup: [200, 200],
  removeUserFromAllGroups: [204, 200],
};

const SEND_OPERATIONS: ReadonlySet<Operation> = new Set(['broadcast', 'sendToUser', 'sendToConnection', 'sendToGroup']);

class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class RestApi {
  constructor(
    private readonly service: EmulatorService,
    private readonly log: (line: string) => void,
  ) {}

  static matches(pathname: string): boolean {
    return pathname === '/api' || pathname.startsWith('/api/');
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    res.on('finish', () => this.log(`REST ${method} ${url.pathname} -> ${res.statusCode}`));
    try {
      await this.dispatch(req, res, url, method);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        refuseBody(res, 413, { 'x-ms-error-code': 'Error.RequestTooLarge' });
      } else if (error instanceof RestError) {
        sendError(res, error);
      } else {
        throw error;
      }
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const route = matchRoute(method, url.pathname);
    switch (route.kind) {
      case 'health':
        return sendStatus(res, 200);
      case 'bad-path':
        throw new RestError(400, 'Error.InvalidRequest', 'The path is not valid.');
      case 'not-found':
        throw new RestError(404, 'Error.NotFound', 'No such API.');
      case 'method-not-allowed':
        return sendStatus(res, 405, { Allow: route.allow });
      case 'not-implemented':
        throw new RestError(501, 'Error.NotImplemented', `${route.reason}.`);
      case 'operation':
        break;
    }
    const auth = authenticateRest(req, url.pathname, route.hubPath, this.service.settings);
    if (!auth.ok) return sendUnauthorized(res, auth.reason);
    if (url.searchParams.has('filter')) {
      // The 2024-12-01 OData `filter` would pick recipients; ignoring it would send to the wrong ones.
      throw new RestError(
        501,
        'Error.NotImplemented',
        'OData filter (REST API 2024-12-01) is not implemented by the emulator.',
      );
    }

    const hubName = resolveHub(route.hub, url.searchParams.get('application'));
    validateParams(route.params);
    const hub = this.service.hubs.get(hubName);
    const query = url.searchParams;
    const excluded = new Set(
      query
        .getAll('excluded')
        .flatMap((v) => v.split(','))
        .filter((v) => v !== ''),
    );
    const status = SUCCESS[route.operation][route.version === 'v1' ? 1 : 0];

    if (SEND_OPERATIONS.has(route.operation)) {
      const message = parsePayload(await readBody(req, this.service.settings.maxRestBodyBytes), req);
      const recipients = this.recipients(hub, route.operation, route.params, excluded);
      // Accepted before the fan-out, as the service answers 202 and delivers asynchronously: the
      // caller (an output binding holding an HTTP request open) does not wait for a loop over
      // every recipient's socket. Same tick, so the order of sends is kept.
      sendStatus(res, status);
      for (const member of recipients) member.send(message);
      return;
    }
    // Other operations take no body; discard one if sent.
    req.resume();
    this.run(hub, route.operation, route.version, route.params, query, excluded);
    sendStatus(res, status);
  }

  private recipients(hub: Hub, operation: Operation, params: RouteParams, excluded: Set<string>): Member[] {
    switch (operation) {
      case 'broadcast':
        return hub.all(excluded);
      case 'sendToUser':
        return hub.userConnections(params.user as string);
      case 'sendToGroup':
        return hub.groupConnections(params.group as string, excluded);
      default: {
        const member = hub.connection(params.connection as string);
        return member ? [member] : [];
      }
    }
  }

  /** Runs a non-send operation; throws RestError for the "no" answers and bad input. */
  private run(
    hub: Hub,
    operation: Operation,
    version: ApiVersion,
    params: RouteParams,
    query: URLSearchParams,
    excluded: Set<string>,
  ): void {
    const user = params.user as string;
    const group = params.group as string;
    const connection = params.connection as string;
    const reason = query.get('reason') ?? undefined;
    const closeAll = (members: Member[]): void => {
      for (const member of members) member.close(reason, true);
    };
    switch (operation) {
      case 'closeAll':
        return closeAll(hub.all(excluded));
      case 'closeGroup':
        return closeAll(hub.groupConnections(group, excluded));
      case 'closeUser':
        return closeAll(hub.userConnections(user, excluded));
      case 'closeConnection': {
        const member = hub.connection(connection);
        if (!member) {
          if (version === 'v1') return;
          throw notExisting('Warning.Connection.NotExisted', 'The connection does not exist.');
        }
        return closeAll([member]);
      }
      case 'connectionExists':
        if (!hub.hasConnection(connection)) {
          throw notExisting('Warning.Connection.NotExisted', 'The connection does not exist.');
        }
        return;
      case 'groupExists':
        if (!hub.hasGroup(group)) throw notExisting('Warning.Group.NotExisted', 'The group has no connections.');
        return;
      case 'userExists':
        if (!hub.hasUser(user)) throw notExisting('Warning.User.NotExisted', 'The user has no connections.');
        return;
      case 'userInGroup':
        if (!hub.isUserInGroup(user, group)) throw notExisting('Info.User.NotInGroup', 'The user is not in the group.');
        return;
      case 'addConnectionToGroup':
        if (!hub.addConnectionToGroup(connection, group)) {
          throw notExisting('Error.Connection.NotExisted', 'The connection does not exist.');
        }
        return;
      case 'removeConnectionFromGroup':
        if (!hub.removeConnectionFromGroup(connection, group)) {
          throw notExisting('Error.Connection.NotExisted', 'The connection does not exist.');
        }
        return;
      case 'removeConnectionFromAllGroups':
        hub.removeConnectionFromAllGroups(connection);
        return;
      case 'addUserToGroup':
        hub.addUserToGroup(user, group, parseTtl(query.get('ttl')));
        return;
      case 'removeUserFromGroup':
        hub.removeUserFromGroup(user, group);
        return;
      case 'removeUserFromAllGroups':
        hub.removeUserFromAllGroups(user);
        return;
      default:
        throw new RestError(400, 'Error.InvalidRequest', `Unsupported operation ${operation}.`);
    }
  }
}

/** `application` prefixes the hub as `{app}_{hub}`, lower-cased like the SDK does. */
function resolveHub(hub: string, application: string | null): string {
  if (!HUB_PATTERN.test(hub)) throw new RestError(400, 'Error.InvalidRequest', 'The hub name is not valid.');
  if (application === null || application === '') return hub.toLowerCase();
  const name = `${application}_${hub}`;
  if (!HUB_PATTERN.test(name)) throw new RestError(400, 'Error.InvalidRequest', 'The application name is not valid.');
  return name.toLowerCase();
}

function validateParams(params: RouteParams): void {
  if (params.group !== undefined && (params.group.trim() === '' || params.group.length > MAX_GROUP_LENGTH)) {
    throw new RestError(400, 'Error.InvalidRequest', 'The group name must be 1-1024 characters, not only spaces.');
  }
  if (params.user !== undefined && params.user.trim() === '') {
    throw new RestError(400, 'Error.InvalidRequest', 'The user id must not be empty.');
  }
  if (params.connection !== undefined && params.connection.trim() === '') {
    throw new RestError(400, 'Error.InvalidRequest', 'The connection id must not be empty.');
  }
}

function parseTtl(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ttl = Number(value);
  if (value.trim() === '' || !Number.isInteger(ttl) || ttl < 0) {
    throw new RestError(400, 'Error.InvalidRequest', 'ttl must be a non-negative whole number of seconds.');
  }
  return ttl;
}

/**
 * A send body: JSON PayloadMessage (names matched case-insensitively, the SDK writes PascalCase),
 * the same as a MessagePack map, or the SDK's binary mode, a map of pre-serialised frames per
 * protocol (docs/signalr-service-contract.md §5.5).
 */
function parsePayload(body: Buffer, req: IncomingMessage): Outbound {
  const contentType = (req.headers['content-type'] ?? 'application/json').toLowerCase();
  if (contentType.startsWith('application/octet-stream')) return parseBinaryPayload(body);
  let value: unknown;
  try {
    value = contentType.startsWith('application/x-msgpack') ? decode(body) : JSON.parse(body.toString('utf8'));
  } catch {
    throw new RestError(400, 'Error.InvalidRequest', 'The body is not a valid payload message.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RestError(400, 'Error.InvalidRequest', 'The body must be an object with target and arguments.');
  }
  let target: unknown;
  let args: unknown = [];
  for (const [key, field] of Object.entries(value)) {
    const name = key.toLowerCase();
    if (name === 'target') target = field;
    else if (name === 'arguments') args = field ?? [];
  }
  if (typeof target !== 'string' || target === '') {
    throw new RestError(400, 'Error.InvalidRequest', 'target is required and must be a non-empty string.');
  }
  if (!Array.isArray(args)) throw new RestError(400, 'Error.InvalidRequest', 'arguments must be an array.');
  return Outbound.invocation(target, args);
}

function parseBinaryPayload(body: Buffer): Outbound {
  let value: unknown;
  try {
    value = decode(body);
  } catch {
    throw new RestError(400, 'Error.InvalidRequest', 'The body is not a valid MessagePack map.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RestError(400, 'Error.InvalidRequest', 'The binary body must be a map of protocol to bytes.');
  }
  const frames = new Map<ProtocolName, Buffer>();
  for (const [key, bytes] of Object.entries(value)) {
    const name = key.toLowerCase();
    if ((name !== 'json' && name !== 'messagepack') || !(bytes instanceof Uint8Array)) continue;
    frames.set(name, ensureFramed(name, Buffer.from(bytes)));
  }
  if (frames.size === 0) throw new RestError(400, 'Error.InvalidRequest', 'No json or messagepack payload given.');
  return Outbound.of((protocol) => {
    const frame = frames.get(protocol.name);
    if (frame) return frame;
    // A protocol the app did not pre-serialise for: re-frame from one we have.
    const json = frames.get('json');
    if (json && protocol.name === 'messagepack') {
      const message = JSON.parse(json.subarray(0, json.length - 1).toString('utf8')) as Record<string, unknown>;
      return PROTOCOLS.messagepack.frameInvocation(String(message['target']), (message['arguments'] as []) ?? []);
    }
    const packed = frames.get('messagepack') as Buffer;
    const header = readVarInt(packed);
    const decoded = decode(packed.subarray(header?.size ?? 0)) as unknown[];
    return PROTOCOLS.json.frameInvocation(String(decoded[3]), (decoded[4] as []) ?? []);
  });
}

/** Accepts the protocol bytes with or without their framing. */
function ensureFramed(protocol: ProtocolName, bytes: Buffer): Buffer {
  if (protocol === 'json') {
    return bytes[bytes.length - 1] === RECORD_SEPARATOR
      ? bytes
      : Buffer.concat([bytes, Buffer.from([RECORD_SEPARATOR])]);
  }
  try {
    const header = readVarInt(bytes);
    if (header && header.size + header.value === bytes.length) return bytes;
  } catch {
    // Not a length prefix: frame it below.
  }
  return Buffer.concat([writeVarInt(bytes.length), bytes]);
}

function notExisting(code: string, message: string): RestError {
  return new RestError(404, code, message);
}

function sendError(res: ServerResponse, error: RestError): void {
  sendJson(res, error.status, { code: error.code, message: error.message }, { 'x-ms-error-code': error.code });
}

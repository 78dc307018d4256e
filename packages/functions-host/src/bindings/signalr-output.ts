/**
 * The `signalR` output binding: each SignalRMessage or group action the function set becomes the
 * data-plane REST call the extension's Management SDK makes (docs/signalr-service-contract.md §5.3, §5.5, §6.1).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { fromTypedData } from '../worker/typed-data';
import type { BindingType } from './binding';
import { audienceBase, type SignalRConnection } from './connection-string';
import { signJwt } from './jwt';
import { connectionFromSetting, connectionSettingOf, hubNameOf, signalRAppSetting } from './signalr-connection';

/** The output sees what the function set as a value: a string that holds JSON is parsed, as the extension's converters do. */
export const signalROutput: BindingType = {
  name: 'signalR',
  directions: ['out'],
  async deliverOutput(binding, data, ctx) {
    await deliverSignalROutput(binding, fromTypedData(data), { fetch: ctx.fetch });
  },
  appSetting: signalRAppSetting,
};

export const REST_API_VERSION = '2022-06-01';
const REST_TOKEN_LIFETIME_SECONDS = 3600;
/** The SDK's HttpClient default. */
const REST_TIMEOUT_MS = 100_000;

export type SignalRRestCall = {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  /** Path below the server endpoint, e.g. `/api/hubs/chat/:send`. */
  readonly path: string;
  readonly body?: { Target: string; Arguments: unknown[] };
  /** A 404 carrying this `x-ms-error-code` is an expected answer, not a failure (§5.5). */
  readonly tolerated404?: string;
  /** What the call does, for logs: never a key or token. */
  readonly description: string;
};

type Item = Record<string, unknown>;

/** Turns the value the function set into REST calls, in order; throws on anything the extension rejects. */
export function planSignalRCalls(hub: string, value: unknown): SignalRRestCall[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const hubPath = `/api/hubs/${encodeURIComponent(hub.toLowerCase())}`;
  const calls: SignalRRestCall[] = [];
  for (const raw of items) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new Error(`signalR output: ${describe(raw)} is neither a SignalRMessage nor a SignalRGroupAction`);
    }
    // The extension deserialises with Json.NET, which matches property names case-insensitively.
    const item = lowerKeys(raw as Item);
    if (item['target'] !== undefined && item['arguments'] !== undefined) {
      calls.push(messageCall(hubPath, item));
    } else if (item['action'] !== undefined) {
      const call = groupActionCall(hubPath, item);
      if (call) calls.push(call);
    } else {
      throw new Error('signalR output: an item needs target and arguments (a message) or action (a group action)');
    }
  }
  return calls;
}

function messageCall(hubPath: string, item: Item): SignalRRestCall {
  const target = item['target'];
  const args = item['arguments'];
  if (typeof target !== 'string' || target === '')
    throw new Error('signalR output: message target must be a non-empty string');
  if (!Array.isArray(args)) throw new Error('signalR output: message arguments must be an array');
  const body = { Target: target, Arguments: args };
  const connectionId = nonEmpty(item['connectionid']);
  const userId = nonEmpty(item['userid']);
  const groupName = nonEmpty(item['groupname']);
  if (connectionId) {
    return {
      method: 'POST',
      path: `${hubPath}/connections/${enc(connectionId)}/:send`,
      body,
      description: `send ${target} to a connection`,
    };
  }
  if (userId)
    return {
      method: 'POST',
      path: `${hubPath}/users/${enc(userId)}/:send`,
      body,
      description: `send ${target} to a user`,
    };
  if (groupName) {
    return {
      method: 'POST',
      path: `${hubPath}/groups/${enc(groupName)}/:send`,
      body,
      description: `send ${target} to group ${groupName}`,
    };
  }
  return { method: 'POST', path: `${hubPath}/:send`, body, description: `broadcast ${target}` };
}

function groupActionCall(hubPath: string, item: Item): SignalRRestCall | undefined {
  const action = typeof item['action'] === 'string' ? item['action'].toLowerCase() : '';
  if (action !== 'add' && action !== 'remove' && action !== 'removeall') {
    throw new Error(`signalR output: group action must be add, remove or removeAll, not ${describe(item['action'])}`);
  }
  const groupName = nonEmpty(item['groupname']);
  const connectionId = nonEmpty(item['connectionid']);
  const userId = nonEmpty(item['userid']);
  if (action !== 'removeall' && !groupName) throw new Error(`signalR output: group action ${action} needs a groupName`);
  if (connectionId) {
    const path = `${hubPath}/groups/${enc(groupName ?? '')}/connections/${enc(connectionId)}`;
    if (action === 'add') {
      return {
        method: 'PUT',
        path,
        tolerated404: 'Error.Connection.NotExisted',
        description: `add a connection to group ${groupName}`,
      };
    }
    if (action === 'remove')
      return { method: 'DELETE', path, description: `remove a connection from group ${groupName}` };
    // The extension's collector does nothing for connection + removeAll (docs/signalr-service-contract.md §6.1).
    return undefined;
  }
  if (userId) {
    if (action === 'removeall') {
      return {
        method: 'DELETE',
        path: `${hubPath}/users/${enc(userId)}/groups`,
        description: 'remove a user from all groups',
      };
    }
    const path = `${hubPath}/users/${enc(userId)}/groups/${enc(groupName ?? '')}`;
    return action === 'add'
      ? { method: 'PUT', path, description: `add a user to group ${groupName}` }
      : { method: 'DELETE', path, description: `remove a user from group ${groupName}` };
  }
  throw new Error('ConnectionId and UserId cannot be null or empty together');
}

export interface DeliverOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** Runs the binding: plans the calls and sends them one after another, stopping at the first failure. */
export async function deliverSignalROutput(
  binding: Readonly<Record<string, unknown>>,
  value: unknown,
  options: DeliverOptions = {},
): Promise<number> {
  const calls = planSignalRCalls(hubNameOf(binding), value);
  if (calls.length === 0) return 0;
  const connection = connectionFromSetting(connectionSettingOf(binding), options.env);
  for (const call of calls) await sendRestCall(connection, call, options);
  return calls.length;
}

export async function sendRestCall(
  connection: SignalRConnection,
  call: SignalRRestCall,
  options: DeliverOptions = {},
): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const query = `?api-version=${REST_API_VERSION}`;
  const url = `${connection.serverEndpoint}${call.path}${query}`;
  const iat = Math.floor((options.now?.() ?? Date.now()) / 1000);
  // Audience: host without port + path + api-version, as RestApiProvider builds it (§1.2, §5.2).
  const token = signJwt(
    {
      aud: `${audienceBase(connection.serverEndpoint)}${call.path.slice(1)}${query}`,
      nameid: `${hostname()}_${randomUUID().replace(/-/g, '')}`,
      iat,
      nbf: iat,
      exp: iat + REST_TOKEN_LIFETIME_SECONDS,
    },
    connection.accessKey,
  );
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (call.body) headers['content-type'] = 'application/json; charset=utf-8';
  let response: Response;
  try {
    response = await doFetch(url, {
      method: call.method,
      headers,
      body: call.body ? JSON.stringify(call.body) : undefined,
      signal: AbortSignal.timeout(REST_TIMEOUT_MS),
    });
  } catch (err) {
    const reason =
      (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
    throw new Error(
      `SignalR Service at ${connection.serverEndpoint} could not be reached to ${call.description}: ${reason}`,
    );
  }
  const errorCode = response.headers.get('x-ms-error-code');
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  if (response.status === 404 && call.tolerated404 && errorCode === call.tolerated404) return;
  const detail = errorCode ? ` (${errorCode})` : '';
  throw new Error(
    `SignalR Service answered ${response.status}${detail} to ${call.method} ${call.path} (${call.description})${text ? `: ${text.slice(0, 200)}` : ''}`,
  );
}

function lowerKeys(item: Item): Item {
  const out: Item = {};
  for (const [key, value] of Object.entries(item)) out[key.toLowerCase()] = value;
  return out;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function describe(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'string'
        ? `"${value}"`
        : typeof value;
}

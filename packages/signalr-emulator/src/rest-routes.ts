/**
 * Maps REST paths to operations: the 2022-06-01 surface (`/api/hubs/...`, `:send` actions) and
 * the old v1 surface (`/api/v1/hubs/...`), in both argument orders, as the Microsoft emulator
 * serves them (docs/signalr-service-contract.md §5.3-5.4).
 */

export type Operation =
  | 'broadcast'
  | 'sendToUser'
  | 'sendToConnection'
  | 'sendToGroup'
  | 'closeAll'
  | 'closeGroup'
  | 'closeUser'
  | 'closeConnection'
  | 'connectionExists'
  | 'groupExists'
  | 'userExists'
  | 'addConnectionToGroup'
  | 'removeConnectionFromGroup'
  | 'removeConnectionFromAllGroups'
  | 'addUserToGroup'
  | 'removeUserFromGroup'
  | 'userInGroup'
  | 'removeUserFromAllGroups';

export type ApiVersion = 'v1' | '2022-06-01';

export interface RouteParams {
  user?: string;
  group?: string;
  connection?: string;
}

export type RouteMatch =
  | { readonly kind: 'health' }
  | {
      readonly kind: 'operation';
      readonly operation: Operation;
      readonly version: ApiVersion;
      readonly hub: string;
      /** The raw path up to and including the hub segment, for hub-level token audiences. */
      readonly hubPath: string;
      readonly params: RouteParams;
    }
  | { readonly kind: 'method-not-allowed'; readonly allow: string }
  | { readonly kind: 'not-implemented'; readonly reason: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-path' };

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
type Pattern = readonly string[];

/** `*u`, `*g`, `*c` capture user, group and connection segments. */
const ROUTES: readonly { pattern: Pattern; methods: Partial<Record<Method, Operation>> }[] = [
  { pattern: [], methods: { POST: 'broadcast' } },
  { pattern: [':send'], methods: { POST: 'broadcast' } },
  { pattern: [':closeConnections'], methods: { POST: 'closeAll' } },
  { pattern: ['users', '*u'], methods: { POST: 'sendToUser', HEAD: 'userExists', GET: 'userExists' } },
  { pattern: ['users', '*u', ':send'], methods: { POST: 'sendToUser' } },
  { pattern: ['users', '*u', ':closeConnections'], methods: { POST: 'closeUser' } },
  { pattern: ['users', '*u', 'groups'], methods: { DELETE: 'removeUserFromAllGroups' } },
  { pattern: ['users', '*u', 'groups', '*g'], methods: userGroupMethods() },
  { pattern: ['groups', '*g'], methods: { POST: 'sendToGroup', HEAD: 'groupExists', GET: 'groupExists' } },
  { pattern: ['groups', '*g', ':send'], methods: { POST: 'sendToGroup' } },
  { pattern: ['groups', '*g', ':closeConnections'], methods: { POST: 'closeGroup' } },
  { pattern: ['groups', '*g', 'users', '*u'], methods: userGroupMethods() },
  { pattern: ['groups', '*g', 'connections', '*c'], methods: connectionGroupMethods() },
  {
    pattern: ['connections', '*c'],
    methods: {
      POST: 'sendToConnection',
      HEAD: 'connectionExists',
      GET: 'connectionExists',
      DELETE: 'closeConnection',
    },
  },
  { pattern: ['connections', '*c', ':send'], methods: { POST: 'sendToConnection' } },
  { pattern: ['connections', '*c', 'groups'], methods: { DELETE: 'removeConnectionFromAllGroups' } },
  { pattern: ['connections', '*c', 'groups', '*g'], methods: connectionGroupMethods() },
];

/**
 * Routes of the service's later REST versions (2024-12-01) and of the obsolete v1-preview that the
 * emulator does not serve: they answer 501 with the reason, where a bare 404 would read as a typo.
 * `*` matches any one segment.
 */
const NOT_IMPLEMENTED: readonly { pattern: Pattern; method: Method; reason: string }[] = [
  {
    pattern: [':generateToken'],
    method: 'POST',
    reason:
      'Generating client tokens (:generateToken, REST API 2024-12-01) is not implemented by the emulator: sign the token with the AccessKey as the SDKs and the Functions extension do',
  },
  {
    pattern: [':execute'],
    method: 'POST',
    reason: 'Transactional commands (:execute, REST API 2024-12-01) are not implemented by the emulator',
  },
  {
    pattern: ['connections', '*c', ':invoke'],
    method: 'POST',
    reason:
      'Invoking a client method and awaiting its result (:invoke, REST API 2024-12-01) is not implemented by the emulator',
  },
  {
    pattern: ['connections', '*c', 'streams', '*', ':send'],
    method: 'POST',
    reason: 'Server-to-client streams (REST API 2024-12-01) are not implemented by the emulator',
  },
  {
    pattern: ['connections', '*c', 'streams', '*', ':complete'],
    method: 'POST',
    reason: 'Server-to-client streams (REST API 2024-12-01) are not implemented by the emulator',
  },
  {
    pattern: ['groups', '*g', 'connections'],
    method: 'GET',
    reason: 'Listing the connections of a group (REST API 2024-12-01) is not implemented by the emulator',
  },
];

function userGroupMethods(): Partial<Record<Method, Operation>> {
  // The SDK asks IsUserInGroup with GET although the swagger lists only HEAD (docs/signalr-service-contract.md §5.5).
  return { PUT: 'addUserToGroup', DELETE: 'removeUserFromGroup', HEAD: 'userInGroup', GET: 'userInGroup' };
}

function connectionGroupMethods(): Partial<Record<Method, Operation>> {
  return { PUT: 'addConnectionToGroup', DELETE: 'removeConnectionFromGroup' };
}

export function matchRoute(method: string, rawPath: string): RouteMatch {
  const rawSegments = rawPath.split('/').filter((s) => s !== '');
  let segments: string[];
  try {
    segments = rawSegments.map((s) => decodeURIComponent(s));
  } catch {
    return { kind: 'bad-path' };
  }
  if (segments[0] !== 'api') return { kind: 'not-found' };
  const second = segments[1]?.toLowerCase();
  if (second === 'v1-preview') {
    return {
      kind: 'not-implemented',
      reason: 'The obsolete v1-preview REST API is not implemented by the emulator: use v1 or 2022-06-01',
    };
  }
  if (second === 'auth' && segments[2]?.toLowerCase() === 'accesskey' && segments.length === 3 && method === 'GET') {
    return {
      kind: 'not-implemented',
      reason:
        'Issuing Microsoft Entra access keys (GET /api/auth/accessKey) is not implemented by the emulator: it authenticates with the AccessKey only',
    };
  }
  const v1 = segments[1]?.toLowerCase() === 'v1';
  const start = v1 ? 2 : 1;
  const rest = segments.slice(start);
  if (rest.length === 1 && rest[0]?.toLowerCase() === 'health') {
    if (method === 'GET' || method === 'HEAD') return { kind: 'health' };
    return { kind: 'method-not-allowed', allow: 'GET, HEAD' };
  }
  if (rest[0]?.toLowerCase() !== 'hubs' || rest.length < 2) return { kind: 'not-found' };
  const hub = rest[1];
  const tail = rest.slice(2);
  const hubPath = '/' + rawSegments.slice(0, start + 2).join('/');
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, tail);
    if (!params) continue;
    const operation = route.methods[method as Method];
    if (!operation) return { kind: 'method-not-allowed', allow: Object.keys(route.methods).join(', ') };
    return { kind: 'operation', operation, version: v1 ? 'v1' : '2022-06-01', hub, hubPath, params };
  }
  for (const route of NOT_IMPLEMENTED) {
    if (!v1 && route.method === method && matchPattern(route.pattern, tail)) {
      return { kind: 'not-implemented', reason: route.reason };
    }
  }
  return { kind: 'not-found' };
}

function matchPattern(pattern: Pattern, tail: readonly string[]): RouteParams | undefined {
  if (pattern.length !== tail.length) return undefined;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    const actual = tail[i];
    if (expected === '*u') params.user = actual;
    else if (expected === '*g') params.group = actual;
    else if (expected === '*c') params.connection = actual;
    else if (expected === '*') continue;
    else if (expected.toLowerCase() !== actual.toLowerCase()) return undefined;
  }
  return params;
}

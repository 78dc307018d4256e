/**
 * Access-token checks for the client endpoint and the REST API (docs/signalr-service-contract.md §1.2, §2.2, §5.2):
 * where each request carries its token, which audiences are accepted, and who the user is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { type JwtPayload, verifyJwt } from './jwt';

export interface AuthSettings {
  readonly accessKey: string;
  readonly clockSkewSeconds: number;
  readonly checkLifetime: boolean;
}

export interface Principal {
  readonly userId?: string;
  readonly claims: JwtPayload;
}

export type AuthResult =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

/** User id claims in the order the Microsoft emulator tries them. */
const USER_ID_CLAIMS = [
  'asrs.s.uid',
  'nameid',
  'sub',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
] as const;

/** Hosts that all mean "this machine"; the SDK puts the Endpoint host (usually localhost) in `aud`. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function resolveUserId(claims: JwtPayload): string | undefined {
  for (const name of USER_ID_CLAIMS) {
    const value = claims[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * The bearer token of a request. The query string is only consulted where the real client puts the
 * token there (WebSocket upgrade, SSE GET), and only without an Authorization header.
 */
export function extractToken(req: IncomingMessage, query: URLSearchParams, allowQuery: boolean): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : undefined;
  }
  if (allowQuery) return query.get('access_token') ?? undefined;
  return undefined;
}

/** `http(s)://{host}{path}` for every host name the request may legitimately have been minted for. */
function audiencesFor(req: IncomingMessage, path: string): string[] {
  const hosts = new Set(LOOPBACK_HOSTS);
  const hostHeader = req.headers.host;
  if (hostHeader) {
    const hostname = hostnameOf(hostHeader);
    if (hostname !== undefined) hosts.add(hostname);
  }
  const result: string[] = [];
  for (const host of hosts) for (const scheme of ['http', 'https']) result.push(`${scheme}://${host}${path}`);
  return result;
}

/** Host header → host name, remembered: a server's calls all carry the same one or two. Bounded. */
const hostnames = new Map<string, string | undefined>();

function hostnameOf(hostHeader: string): string | undefined {
  if (hostnames.has(hostHeader)) return hostnames.get(hostHeader);
  let hostname: string | undefined;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname;
  } catch {
    // An unparseable Host header only loses that one extra audience.
  }
  if (hostnames.size >= 256) hostnames.clear();
  hostnames.set(hostHeader, hostname);
  return hostname;
}

function verify(token: string | undefined, settings: AuthSettings, audiences: string[], remember = false): AuthResult {
  if (!token) return { ok: false, reason: 'No access token was provided' };
  const result = verifyJwt(token, settings.accessKey, {
    audiences,
    clockSkewSeconds: settings.clockSkewSeconds,
    ignoreLifetime: !settings.checkLifetime,
    remember,
  });
  if (!result.ok) return result;
  // A token without `exp` would be good forever; the service's SDKs always set one.
  if (settings.checkLifetime && typeof result.payload.exp !== 'number') {
    return { ok: false, reason: 'The token has no expiry (exp)' };
  }
  const claims = shareClaimStrings(result.payload);
  return { ok: true, principal: { userId: resolveUserId(claims), claims } };
}

/** Claim values many connections have in common (aud, iss, role…), one copy each; bounded. */
const sharedClaimValues = new Map<string, string>();
const MAX_SHARED_CLAIM_VALUES = 1024;
const MAX_SHARED_CLAIM_LENGTH = 256;

/**
 * A connection keeps its token's claims for as long as it lives (upstream sends them on), so the
 * same `aud` string parsed anew for every one of thousands of idle connections adds up: string
 * claims seen before are replaced by the copy already held.
 */
function shareClaimStrings(claims: JwtPayload): JwtPayload {
  for (const [name, value] of Object.entries(claims)) {
    if (typeof value !== 'string' || value.length > MAX_SHARED_CLAIM_LENGTH) continue;
    const shared = sharedClaimValues.get(value);
    if (shared !== undefined) (claims as Record<string, unknown>)[name] = shared;
    else if (sharedClaimValues.size < MAX_SHARED_CLAIM_VALUES) sharedClaimValues.set(value, value);
  }
  return claims;
}

/** Client tokens: `aud` is `{scheme}://{host}/client/?hub={hub}`; a `hub` in it must name this hub. */
export function authenticateClient(
  req: IncomingMessage,
  token: string | undefined,
  hub: string,
  settings: AuthSettings,
): AuthResult {
  const result = verify(token, settings, audiencesFor(req, '/client/'));
  if (!result.ok) return result;
  const aud = result.principal.claims.aud;
  for (const value of Array.isArray(aud) ? aud : [aud]) {
    if (typeof value !== 'string') continue;
    const tokenHub = hubOfAudience(value);
    if (tokenHub !== undefined && tokenHub.toLowerCase() !== hub.toLowerCase()) {
      return { ok: false, reason: 'The audience is invalid' };
    }
  }
  return result;
}

/**
 * REST tokens: `aud` is the request URL without port and query (the SDK keeps `?api-version`,
 * which the comparison ignores). A hub-level audience (`…/hubs/{hub}`) is accepted as well, as
 * older token makers mint one token per hub.
 */
export function authenticateRest(
  req: IncomingMessage,
  rawPath: string,
  hubPrefix: string | undefined,
  settings: AuthSettings,
): AuthResult {
  const token = extractToken(req, new URLSearchParams(), false);
  const paths = [rawPath];
  if (hubPrefix) paths.push(hubPrefix);
  const audiences = paths.flatMap((p) => audiencesFor(req, p));
  // Percent-encoding may differ between the token maker and the HTTP client; compare decoded too.
  const decoded = paths.map(safeDecode).filter((p) => !paths.includes(p));
  audiences.push(...decoded.flatMap((p) => audiencesFor(req, p)));
  return verify(token, settings, audiences, true);
}

export function sendUnauthorized(res: ServerResponse, reason: string, extraHeaders: Record<string, string> = {}): void {
  // The description is ours (never token content) and must not break the quoted header value.
  const description = reason.replace(/["\\\r\n]/g, ' ');
  res.writeHead(401, {
    ...extraHeaders,
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    'Content-Length': '0',
  });
  res.end();
}

function hubOfAudience(aud: string): string | undefined {
  try {
    return new URL(aud).searchParams.get('hub') ?? undefined;
  } catch {
    return undefined;
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

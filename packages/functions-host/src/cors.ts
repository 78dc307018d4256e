/**
 * CORS as the Functions host applies `Host.CORS` / `Host.CORSCredentials`: listed origins are echoed
 * (credentials need the exact origin, never `*`), preflights are answered by the host itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsPolicy {
  readonly origins: readonly string[];
  readonly credentials: boolean;
}

const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * A wildcard origin with credentials would hand every site the user's session, and ASP.NET Core's
 * CORS (which the real host uses) refuses that combination too: fail at startup instead.
 */
export function checkCorsPolicy(policy: CorsPolicy): void {
  if (policy.credentials && policy.origins.includes('*')) {
    throw new Error(
      'Host.CORS "*" cannot be combined with Host.CORSCredentials: list the exact origins in local.settings.json',
    );
  }
}

export function originAllowed(policy: CorsPolicy, origin: string): boolean {
  const wanted = origin.toLowerCase();
  return policy.origins.some((o) => o === '*' || o.replace(/\/+$/, '').toLowerCase() === wanted);
}

/** Adds CORS response headers for an allowed origin; returns true when the request was a preflight it answered. */
export function applyCors(policy: CorsPolicy, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  const isPreflight =
    req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined;
  if (origin === undefined || !originAllowed(policy, origin)) {
    if (isPreflight) {
      // Disallowed preflight: answer without CORS headers so the browser blocks the real request.
      res.writeHead(204, { vary: 'Origin' });
      res.end();
      return true;
    }
    return false;
  }
  const wildcard = policy.origins.includes('*') && !policy.credentials;
  res.setHeader('access-control-allow-origin', wildcard ? '*' : origin);
  if (!wildcard) res.setHeader('vary', 'Origin');
  if (policy.credentials) res.setHeader('access-control-allow-credentials', 'true');
  if (!isPreflight) return false;
  const requestedHeaders = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-methods': String(req.headers['access-control-request-method']),
    ...(requestedHeaders ? { 'access-control-allow-headers': requestedHeaders } : {}),
    'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
    'content-length': 0,
  });
  res.end();
  return true;
}

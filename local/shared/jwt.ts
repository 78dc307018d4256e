/**
 * The HS256/HS512 JSON Web Tokens Azure SignalR Service uses: signed with the UTF-8 bytes of the
 * AccessKey (not base64-decoded), `kid` ignored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtAlgorithm = 'HS256' | 'HS512';
export type JwtPayload = Record<string, unknown> & {
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
};

const HMAC: Record<JwtAlgorithm, string> = { HS256: 'sha256', HS512: 'sha512' };

export function signJwt(payload: JwtPayload, key: string, alg: JwtAlgorithm = 'HS256'): string {
  const header = base64url(JSON.stringify({ alg, typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac(HMAC[alg], Buffer.from(key, 'utf8')).update(`${header}.${body}`).digest();
  return `${header}.${body}.${signature.toString('base64url')}`;
}

export interface VerifyOptions {
  /** Seconds of clock skew allowed on `exp`/`nbf`; default 300. */
  readonly clockSkewSeconds?: number;
  /** Skip the `exp`/`nbf` checks entirely. */
  readonly ignoreLifetime?: boolean;
  /** When given, `aud` must match one of these on scheme, host and path (port, query, trailing slash ignored). */
  readonly audiences?: readonly string[];
  readonly now?: () => number;
}

export type VerifyResult =
  | { readonly ok: true; readonly payload: JwtPayload; readonly alg: JwtAlgorithm }
  | { readonly ok: false; readonly reason: string };

export function verifyJwt(token: string, key: string, options: VerifyOptions = {}): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return fail('The token is malformed');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!header || !payload) return fail('The token is malformed');
  const alg = header['alg'];
  if (alg !== 'HS256' && alg !== 'HS512') return fail(`The token algorithm "${String(alg)}" is not accepted`);
  const expected = createHmac(HMAC[alg], Buffer.from(key, 'utf8')).update(`${headerPart}.${payloadPart}`).digest();
  const actual = Buffer.from(signaturePart, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return fail('The signature is invalid');
  }
  if (!options.ignoreLifetime) {
    const now = Math.floor((options.now?.() ?? Date.now()) / 1000);
    const skew = options.clockSkewSeconds ?? 300;
    const exp = payload['exp'];
    const nbf = payload['nbf'];
    if (exp !== undefined && (typeof exp !== 'number' || now - skew >= exp)) return fail('The token is expired');
    if (nbf !== undefined && (typeof nbf !== 'number' || now + skew < nbf)) return fail('The token is not yet valid');
  }
  if (options.audiences) {
    const aud = payload['aud'];
    const given = Array.isArray(aud) ? aud : [aud];
    const wanted = options.audiences.map(normalizeAudience);
    if (!given.some((a) => typeof a === 'string' && wanted.includes(normalizeAudience(a)))) {
      return fail('The audience is invalid');
    }
  }
  return { ok: true, payload: payload as JwtPayload, alg };
}

/** scheme://host/path, lower-cased scheme and host, no port, query or trailing slash. */
export function normalizeAudience(value: string): string {
  try {
    const url = new URL(value);
    const path = url.pathname.replace(/\/+$/, '');
    return `${url.protocol}//${url.hostname}${path}`.toLowerCase();
  } catch {
    return value;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

/**
 * The HS256/HS512 JSON Web Tokens Azure SignalR Service uses: signed with the UTF-8 bytes of the
 * AccessKey (not base64-decoded), `kid` ignored. Signing and the signature, algorithm and lifetime
 * checks are `jsonwebtoken`'s; this module adds the service's audience rule and answers a reason
 * string the emulator can put in its 401s.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';

import jwt from 'jsonwebtoken';

export type JwtAlgorithm = 'HS256' | 'HS512';
export type JwtPayload = Record<string, unknown> & {
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
};

const ALGORITHMS: JwtAlgorithm[] = ['HS256', 'HS512'];
const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/** The payload is signed as given: jsonwebtoken adds `iat` when it is missing, so tell it not to. */
export function signJwt(payload: JwtPayload, key: string, alg: JwtAlgorithm = 'HS256'): string {
  return jwt.sign(payload, secretKey(key), { algorithm: alg, noTimestamp: payload.iat === undefined });
}

export interface VerifyOptions {
  /** Seconds of clock skew allowed on `exp`/`nbf`; default 300. */
  readonly clockSkewSeconds?: number;
  /** Skip the `exp`/`nbf` checks entirely. */
  readonly ignoreLifetime?: boolean;
  /** When given, `aud` must match one of these on scheme, host and path (port, query, trailing slash ignored). */
  readonly audiences?: readonly string[];
  readonly now?: () => number;
  /**
   * Remember the token once verified, so the next call with it skips the signature check (the
   * lifetime is checked again). For REST calls, where a server reuses one token; not for client
   * tokens, which are used once or twice each and would only hold memory.
   */
  readonly remember?: boolean;
}

export type VerifyResult =
  | { readonly ok: true; readonly payload: JwtPayload; readonly alg: JwtAlgorithm }
  | { readonly ok: false; readonly reason: string };

export function verifyJwt(token: string, key: string, options: VerifyOptions = {}): VerifyResult {
  const clock = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const ignoreLifetime = options.ignoreLifetime === true;
  let verified = options.remember ? verifiedToken(key, token, clock, skew, ignoreLifetime) : undefined;
  if (!verified) {
    let decoded: jwt.Jwt;
    try {
      decoded = jwt.verify(token, secretKey(key), {
        algorithms: ALGORITHMS,
        complete: true,
        clockTolerance: skew,
        ignoreExpiration: ignoreLifetime,
        ignoreNotBefore: ignoreLifetime,
        clockTimestamp: clock,
      });
    } catch (err) {
      return fail(reasonOf(err, token));
    }
    const payload = decoded.payload;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return fail('The token is malformed');
    verified = { payload, alg: decoded.header.alg as JwtAlgorithm };
    if (options.remember) rememberToken(key, token, verified);
  }
  const { payload, alg } = verified;
  if (options.audiences) {
    const aud = payload['aud'];
    const given = Array.isArray(aud) ? aud : [aud];
    const wanted = options.audiences.map(normalizeAudience);
    if (!given.some((a) => typeof a === 'string' && wanted.includes(normalizeAudience(a)))) {
      return fail('The audience is invalid');
    }
  }
  return { ok: true, payload, alg };
}

/**
 * Tokens whose signature was checked, by key and token: a server (the Functions host, the bench)
 * sends many REST calls with one token, and each check costs an HMAC and two JSON parses. Only
 * the lifetime can change, so a hit checks `exp` and `nbf` again, as jsonwebtoken does; a token
 * that no longer passes goes through the full check, which gives the reason. Bounded.
 */
const verifiedTokens = new Map<string, Map<string, { payload: JwtPayload; alg: JwtAlgorithm }>>();
const MAX_VERIFIED_TOKENS = 256;

function verifiedToken(
  key: string,
  token: string,
  clock: number,
  skew: number,
  ignoreLifetime: boolean,
): { payload: JwtPayload; alg: JwtAlgorithm } | undefined {
  const hit = verifiedTokens.get(key)?.get(token);
  if (!hit || ignoreLifetime) return hit;
  const { exp, nbf } = hit.payload;
  if (exp !== undefined && (typeof exp !== 'number' || clock >= exp + skew)) return undefined;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > clock + skew)) return undefined;
  return hit;
}

function rememberToken(key: string, token: string, verified: { payload: JwtPayload; alg: JwtAlgorithm }): void {
  let tokens = verifiedTokens.get(key);
  if (!tokens) {
    if (verifiedTokens.size > 16) verifiedTokens.clear();
    verifiedTokens.set(key, (tokens = new Map<string, { payload: JwtPayload; alg: JwtAlgorithm }>()));
  }
  if (tokens.size >= MAX_VERIFIED_TOKENS) tokens.clear();
  tokens.set(token, verified);
}

/** Normalised audiences by their text: the same few URLs are compared on every request. Bounded. */
const normalizedAudiences = new Map<string, string>();
const MAX_NORMALIZED_AUDIENCES = 1024;

/** scheme://host/path, lower-cased scheme and host, no port, query or trailing slash. */
export function normalizeAudience(value: string): string {
  let normalized = normalizedAudiences.get(value);
  if (normalized === undefined) {
    normalized = parseAudience(value);
    if (normalizedAudiences.size >= MAX_NORMALIZED_AUDIENCES) normalizedAudiences.clear();
    normalizedAudiences.set(value, normalized);
  }
  return normalized;
}

function parseAudience(value: string): string {
  try {
    const url = new URL(value);
    const path = url.pathname.replace(/\/+$/, '');
    return `${url.protocol}//${url.hostname}${path}`.toLowerCase();
  } catch {
    return value;
  }
}

/**
 * A KeyObject rather than the string: given a string, jsonwebtoken first tries (and fails) to read
 * it as a PEM public key on every call, which costs an exception per verified token.
 */
const keys = new Map<string, KeyObject>();
function secretKey(key: string): KeyObject {
  let object = keys.get(key);
  if (!object) {
    object = createSecretKey(Buffer.from(key, 'utf8'));
    if (keys.size > 16) keys.clear();
    keys.set(key, object);
  }
  return object;
}

/** The service's wording for what went wrong, from jsonwebtoken's error classes and messages. */
function reasonOf(err: unknown, token: string): string {
  if (err instanceof jwt.TokenExpiredError) return 'The token is expired';
  if (err instanceof jwt.NotBeforeError) return 'The token is not yet valid';
  const message = err instanceof Error ? err.message : String(err);
  if (message === 'invalid exp value') return 'The token is expired';
  if (message === 'invalid nbf value') return 'The token is not yet valid';
  if (message === 'invalid signature' || message === 'jwt signature is required') return 'The signature is invalid';
  if (message === 'invalid algorithm') {
    const header = jwt.decode(token, { complete: true })?.header;
    return `The token algorithm "${String(header?.alg)}" is not accepted`;
  }
  return 'The token is malformed';
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

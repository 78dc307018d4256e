/**
 * The local stand-in for App Service Authentication ("Easy Auth"): a signed session cookie for a
 * developer-chosen name, and the `x-ms-client-principal*` request headers App Service derives from it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'AppServiceAuthSession';
export const DEV_PROVIDER = 'dev';
/**
 * `/.auth/login/<provider>` names App Service's built-in providers (aad, github, google, twitter,
 * facebook, apple) or a custom OpenID Connect provider's name; locally every one signs in through
 * the same form, and the provider is what the principal records.
 */
export const PROVIDER_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/**
 * Display names of the built-in providers. A Map, not an object literal: a provider name comes
 * from the URL, and `constructor` or `tostring` must not find Object.prototype's members.
 */
export const PROVIDER_NAMES: ReadonlyMap<string, string> = new Map([
  ['aad', 'Microsoft Entra ID'],
  ['apple', 'Apple'],
  ['dev', 'local development'],
  ['facebook', 'Facebook'],
  ['github', 'GitHub'],
  ['google', 'Google'],
  ['twitter', 'X (Twitter)'],
]);

/** What the sign-in page calls a provider: a built-in provider's name, else the name as given. */
export function providerDisplayName(provider: string): string {
  return PROVIDER_NAMES.get(provider) ?? provider;
}
/** App Service's default `cookieExpiration.timeToExpiration` is 08:00:00. */
export const SESSION_LIFETIME_SECONDS = 8 * 60 * 60;
/** Set this app setting to keep sessions valid across host restarts. */
export const AUTH_SECRET_SETTING = 'HUBBUB_AUTH_SECRET';
export const MAX_NAME_LENGTH = 64;

export const CLAIM_NAME_IDENTIFIER = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';
export const CLAIM_NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
export const CLAIM_ROLE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

export interface DevUser {
  readonly id: string;
  readonly name: string;
  /** The provider signed in with (`dev`, `github`, `aad`, ...), lower-case. */
  readonly provider: string;
  /** When the session ends, in seconds since the epoch. */
  readonly expiresAt?: number;
}

export interface Claim {
  readonly typ: string;
  readonly val: string;
}

/** Platform-owned request headers: App Service removes client-sent copies before the app sees them. */
export function isPlatformIdentityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-ms-client-principal') || lower.startsWith('x-ms-token-');
}

/** Trims and checks a display name; returns the reason it is unacceptable, or the cleaned name. */
export function checkDisplayName(raw: unknown): { ok: true; name: string } | { ok: false; message: string } {
  if (typeof raw !== 'string') return { ok: false, message: 'Enter a display name.' };
  const name = raw.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0) return { ok: false, message: 'Enter a display name.' };
  if (length > MAX_NAME_LENGTH) {
    return {
      ok: false,
      message: `Display names can be at most ${MAX_NAME_LENGTH} characters (this one has ${length}).`,
    };
  }
  if (/\p{Cc}/u.test(name)) return { ok: false, message: 'Display names cannot contain control characters.' };
  return { ok: true, name };
}

/**
 * The same name (ignoring case) with the same provider is always the same user, across restarts and
 * machines; as in App Service, one name through two providers is two users.
 */
export function devUserId(name: string, provider = DEV_PROVIDER): string {
  const key = name.normalize('NFC').toLowerCase();
  // `dev` ids hash the name alone, as they did before other providers existed, so they stay the same.
  const input = provider === DEV_PROVIDER ? key : `${provider}\n${key}`;
  return `${provider}-${createHash('sha256').update(input, 'utf8').digest('hex').slice(0, 16)}`;
}

export function claimsOf(user: DevUser): Claim[] {
  return [
    { typ: CLAIM_NAME_IDENTIFIER, val: user.id },
    { typ: CLAIM_NAME, val: user.name },
    { typ: 'name', val: user.name },
  ];
}

/**
 * The headers App Service adds for a signed-in caller. `x-ms-client-principal` is base64 JSON in
 * App Service's shape (no `identityProvider` key, so `@azure/functions` reads `request.user` as
 * type 'AppService' with id, username and identityProvider taken from the three other headers).
 */
export function principalHeaders(user: DevUser): Record<string, string> {
  const principal = { auth_typ: user.provider, claims: claimsOf(user), name_typ: CLAIM_NAME, role_typ: CLAIM_ROLE };
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal), 'utf8').toString('base64'),
    'x-ms-client-principal-id': user.id,
    'x-ms-client-principal-name': headerSafe(user.name),
    'x-ms-client-principal-idp': user.provider,
  };
}

/**
 * Header values are byte strings. A name beyond Latin-1 arrives as its UTF-8 bytes, which is what
 * a Node app sees when a proxy forwards raw UTF-8; the `name` claim always holds the exact name.
 */
function headerSafe(value: string): string {
  return /^[\u0000-\u00ff]*$/.test(value) ? value : Buffer.from(value, 'utf8').toString('latin1');
}

interface SessionPayload {
  readonly v: 2;
  /** Session id: logout revokes it, so a copied cookie stops working with the session. */
  readonly sid: string;
  readonly name: string;
  /** The provider; absent in cookies from before providers, which were all `dev`. */
  readonly idp?: string;
  readonly iat: number;
  readonly exp: number;
}

/**
 * Signs and reads session cookies with an HMAC secret held only in this process (or the app setting).
 * Logged-out sessions are remembered here until they would have expired anyway; the list lives in
 * memory, so a host restarted with the same HUBBUB_AUTH_SECRET forgets it (Hubbub docs/security.md#the-local-stack).
 */
export class SessionSigner {
  readonly #secret: Buffer;
  readonly #now: () => number;
  /** Revoked session id → its expiry (seconds). */
  readonly #revoked = new Map<string, number>();
  readonly #maxRevoked: number;
  /** Sessions issued before this (seconds) are void: set when the revocation list overflows. */
  #issuedFrom = 0;

  constructor(secret?: string, now: () => number = Date.now, maxRevoked = 50_000) {
    this.#secret = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
    this.#now = now;
    this.#maxRevoked = maxRevoked;
  }

  /** True when the secret came from the app setting, so sessions outlive the process. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): SessionSigner {
    const secret = env[AUTH_SECRET_SETTING];
    return new SessionSigner(secret && secret !== '' ? secret : undefined);
  }

  issue(name: string, provider = DEV_PROVIDER): string {
    const iat = Math.floor(this.#now() / 1000);
    const sid = randomBytes(16).toString('base64url');
    const payload: SessionPayload = { v: 2, sid, name, idp: provider, iat, exp: iat + SESSION_LIFETIME_SECONDS };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.#sign(body)}`;
  }

  read(cookieValue: string | undefined): DevUser | undefined {
    const session = this.#verify(cookieValue);
    if (!session || this.#revoked.has(session.sid) || session.iat < this.#issuedFrom) return undefined;
    const checked = checkDisplayName(session.name);
    const provider = session.idp ?? DEV_PROVIDER;
    if (!checked.ok || !PROVIDER_PATTERN.test(provider)) return undefined;
    return { id: devUserId(checked.name, provider), name: checked.name, provider, expiresAt: session.exp };
  }

  /** Ends the cookie's session for good (logout); a cookie that does not verify changes nothing. */
  revoke(cookieValue: string | undefined): void {
    const session = this.#verify(cookieValue);
    if (!session) return;
    const now = Math.floor(this.#now() / 1000);
    for (const [sid, exp] of this.#revoked) if (exp <= now) this.#revoked.delete(sid);
    if (this.#revoked.size >= this.#maxRevoked) {
      // Bounded memory, failing closed: rather than forget a revocation, end every session so far.
      this.#revoked.clear();
      this.#issuedFrom = now + 1;
      return;
    }
    this.#revoked.set(session.sid, session.exp);
  }

  #verify(cookieValue: string | undefined): SessionPayload | undefined {
    if (!cookieValue) return undefined;
    const [body, signature, extra] = cookieValue.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.#sign(body), 'base64url');
    const actual = Buffer.from(signature, 'base64url');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
    let payload: Partial<SessionPayload>;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<SessionPayload>;
    } catch {
      return undefined;
    }
    if (
      payload.v !== 2 ||
      typeof payload.sid !== 'string' ||
      typeof payload.name !== 'string' ||
      (payload.idp !== undefined && typeof payload.idp !== 'string') ||
      typeof payload.iat !== 'number' ||
      typeof payload.exp !== 'number'
    ) {
      return undefined;
    }
    if (payload.exp <= Math.floor(this.#now() / 1000)) return undefined;
    return payload as SessionPayload;
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url');
  }
}

/** The value of one cookie from a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

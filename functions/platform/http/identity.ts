/**
 * Who is calling: only the platform principal (App Service / Static Web Apps authentication, or
 * the local host's emulation of it). Nothing in a request body or query is trusted for identity.
 */
import type { HttpRequest } from '@azure/functions';

import { check, DisplayNameSchema, MAX_NAME_LENGTH, UserIdSchema } from '../../../contract';
import { badRequest, HttpError, unauthorized } from './responses';

export interface Principal {
  readonly id: string;
  readonly name: string;
}

const NAME_CLAIMS = ['name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'preferred_username'];

/**
 * The signed-in caller, or null when signed out. Throws a 400 {@link HttpError} when the platform's
 * id is not usable as a Table key or the name carries control, bidi or zero-width characters.
 */
export function principalOf(request: HttpRequest): Principal | null {
  let user: HttpRequest['user'];
  try {
    user = request.user;
  } catch {
    // The library throws when the principal headers are incomplete: treat that as signed out.
    return null;
  }
  if (!user?.id) return null;
  // Ids become Table keys and names reach everyone's screen: refuse what either cannot safely be (400).
  const platformId = check(UserIdSchema, user.id);
  if (!platformId.ok) throw new HttpError(badRequest(`Your sign-in id cannot be used: ${platformId.message}`));
  const id = check(UserIdSchema, hubbubUserId(user.identityProvider, platformId.value));
  if (!id.ok) throw new HttpError(badRequest(`Your sign-in id cannot be used: ${id.message}`));
  const raw = claimedName(user.claimsPrincipalData) ?? user.username ?? '';
  if (raw.trim() === '') return { id: id.value, name: fallbackName(id.value) };
  const name = check(DisplayNameSchema, [...raw.trim()].slice(0, MAX_NAME_LENGTH).join(''));
  if (!name.ok) throw new HttpError(badRequest(`Your display name cannot be used: ${name.message}`));
  return { id: id.value, name: name.value };
}

/** The caller, or a 401 for anyone the platform has not signed in. */
export function requireUser(request: HttpRequest): Principal {
  const user = principalOf(request);
  if (!user) throw new HttpError(unauthorized());
  return user;
}

/**
 * The name from the base64 principal's claims: headers carry only Latin-1, so a name such as
 * "李雷" survives intact only there, not in `x-ms-client-principal-name`.
 */
function claimedName(data: Record<string, unknown>): string | undefined {
  const claims = data['claims'];
  if (!Array.isArray(claims)) return undefined;
  for (const type of NAME_CLAIMS) {
    const claim = claims.find((c: unknown) => (c as { typ?: unknown })?.typ === type) as { val?: unknown } | undefined;
    if (typeof claim?.val === 'string' && claim.val.trim() !== '') return claim.val;
  }
  return undefined;
}

/** Someone with no name is shown by their id (cut to a name's length). */
function fallbackName(id: string): string {
  const name = id.slice(0, MAX_NAME_LENGTH);
  return check(DisplayNameSchema, name).ok ? name : 'someone';
}

export const LOGIN_PROVIDER_SETTING = 'HUBBUB_LOGIN_PROVIDER';

/** The app's sign-in provider: `dev` locally, the configured one (e.g. `aad`) in Azure. */
function loginProvider(): string {
  return (process.env[LOGIN_PROVIDER_SETTING] || 'dev').replace(/[^a-z0-9-]/gi, '').toLowerCase();
}

/** Where the platform signs people in: `/.auth/login/dev` locally, the configured provider (e.g. `aad`) in Azure. */
export function signInPath(): string {
  return `/.auth/login/${loginProvider()}`;
}

/** Provider names as App Service and Static Web Apps spell them (`aad`, `github`, a custom OpenID Connect name). */
const PROVIDER = /^[a-z0-9][a-z0-9_.-]{0,39}$/;

/**
 * The id Hubbub knows a person by: the platform's id with its identity provider, so that two
 * providers' equal ids are two people (docs/security.md "Who is who"). People of the app's own
 * sign-in provider ({@link LOGIN_PROVIDER_SETTING}) keep the platform's id as it is, as every row
 * stored before this rule has it; anyone else is `<provider>|<id>`. An id of the app's provider
 * that holds a `|` is prefixed too, so no two people ever share an id: an id without `|` is the
 * sign-in provider's own, one with `|` names its provider before the first `|`.
 */
export function hubbubUserId(provider: string | undefined, platformId: string): string {
  const idp = (provider ?? '').trim().toLowerCase();
  if (!PROVIDER.test(idp)) {
    throw new HttpError(badRequest('Your sign-in provider cannot be used: its name is not one Hubbub knows'));
  }
  if (idp === loginProvider() && !platformId.includes('|')) return platformId;
  return `${idp}|${platformId}`;
}

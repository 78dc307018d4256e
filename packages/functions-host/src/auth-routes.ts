/**
 * The `/.auth/*` endpoints App Service Authentication serves, locally: `/.auth/login/<provider>`
 * for any provider name (one form; the provider is recorded in the principal), the session cookie,
 * `/.auth/me` and logout.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  checkDisplayName,
  claimsOf,
  DEV_PROVIDER,
  type DevUser,
  PROVIDER_PATTERN,
  providerDisplayName,
  readCookie,
  SESSION_COOKIE,
  SessionSigner,
} from './easy-auth';
import {
  escapeHtml,
  readBody,
  redirect,
  safeRedirectPath,
  sendError,
  sendHtml,
  sendJson,
  unsafeRedirect,
} from './http-io';

export const AUTH_PREFIX = '/.auth';
const LOGIN_PREFIX = `${AUTH_PREFIX}/login/`;
/** Login forms are tiny; anything bigger is not a login. */
const MAX_FORM_BYTES = 16 * 1024;

export function sessionUser(req: IncomingMessage, signer: SessionSigner): DevUser | undefined {
  return signer.read(readCookie(req.headers.cookie, SESSION_COOKIE));
}

/**
 * Handles a request under `/.auth`; the caller has checked the prefix. `trustedOrigins` (the CORS
 * allow-list, e.g. the `ng serve` origin that proxies `/.auth`) may post the login form besides
 * the host's own origin.
 */
export async function handleAuthRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signer: SessionSigner,
  trustedOrigins: readonly string[] = [],
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '').toLowerCase();
  const method = req.method ?? 'GET';
  for (const parameter of ['post_login_redirect_uri', 'post_logout_redirect_uri']) {
    if (unsafeRedirect(url.searchParams.get(parameter))) {
      sendError(res, 400, 'validation_failed', `${parameter} must be a path on this site`);
      return;
    }
  }
  const provider =
    path === LOGIN_PREFIX.slice(0, -1)
      ? ''
      : path.startsWith(LOGIN_PREFIX)
        ? path.slice(LOGIN_PREFIX.length)
        : undefined;
  if (provider !== undefined && PROVIDER_PATTERN.test(provider)) {
    if (method === 'GET' || method === 'HEAD') {
      const redirectTo = safeRedirectPath(url.searchParams.get('post_login_redirect_uri'));
      sendHtml(res, 200, loginPage(provider, redirectTo));
      return;
    }
    if (method === 'POST') {
      // A browser names the page that posts: another site's page must not sign anyone in (login CSRF).
      if (!sameOrTrustedOrigin(req, url, trustedOrigins)) {
        sendError(res, 403, 'forbidden', 'The sign-in form must be posted from this site');
        return;
      }
      await login(req, res, url, signer, provider);
      return;
    }
    sendError(res, 405, 'method_not_allowed', 'Use GET or POST', { allow: 'GET, HEAD, POST' });
    return;
  }
  if (path === `${AUTH_PREFIX}/me`) {
    // App Service answers GET and POST alike (client SDKs POST with the session token).
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      sendError(res, 405, 'method_not_allowed', 'Use GET or POST', { allow: 'GET, HEAD, POST' });
      return;
    }
    const user = sessionUser(req, signer);
    // App Service answers 401 (not an empty list) when the caller has no session.
    if (!user) {
      sendError(res, 401, 'unauthenticated', 'Sign in first');
      return;
    }
    sendJson(res, 200, [meEntry(user)], { 'cache-control': 'no-store' });
    return;
  }
  if (path === `${AUTH_PREFIX}/logout`) {
    // A GET, as in App Service; the session itself ends, not only this browser's copy of the cookie.
    const to = safeRedirectPath(url.searchParams.get('post_logout_redirect_uri'));
    signer.revoke(readCookie(req.headers.cookie, SESSION_COOKIE));
    redirect(res, to, { 'set-cookie': clearCookie() });
    return;
  }
  if (provider !== undefined) {
    sendError(
      res,
      404,
      'not_found',
      `"${shortened(provider)}" is not a provider name: use /.auth/login/<provider>, e.g. ${LOGIN_PREFIX}${DEV_PROVIDER} or ${LOGIN_PREFIX}github`,
    );
    return;
  }
  sendError(res, 404, 'not_found', 'No such authentication endpoint');
}

/** A caller's text echoed in an error message: at most 64 characters, so no answer grows with the URL. */
function shortened(text: string): string {
  const chars = [...text];
  return chars.length <= 64 ? text : `${chars.slice(0, 64).join('')}…`;
}

/**
 * One `/.auth/me` entry in App Service's shape. Locally there are no provider tokens, so the
 * `access_token`/`id_token` fields App Service adds for some providers are absent.
 */
function meEntry(user: DevUser): Record<string, unknown> {
  return {
    provider_name: user.provider,
    // Like App Service, `user_id` is the principal's name, not its id.
    user_id: user.name,
    user_claims: claimsOf(user),
    ...(user.expiresAt !== undefined ? { expires_on: new Date(user.expiresAt * 1000).toISOString() } : {}),
  };
}

async function login(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signer: SessionSigner,
  provider: string,
): Promise<void> {
  const body = await readBody(req, MAX_FORM_BYTES);
  const form = new URLSearchParams(body.toString('utf8'));
  const requested = form.get('post_login_redirect_uri') ?? url.searchParams.get('post_login_redirect_uri');
  if (unsafeRedirect(requested)) {
    sendError(res, 400, 'validation_failed', 'post_login_redirect_uri must be a path on this site');
    return;
  }
  const redirectTo = safeRedirectPath(requested);
  const checked = checkDisplayName(form.get('name'));
  if (!checked.ok) {
    sendHtml(res, 400, loginPage(provider, redirectTo, checked.message, form.get('name') ?? ''));
    return;
  }
  const cookie = [
    `${SESSION_COOKIE}=${signer.issue(checked.name, provider)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
  ].join('; ');
  redirect(res, redirectTo, { 'set-cookie': cookie });
}

/**
 * No Origin (curl, scripts, tests) is allowed: only browsers send one, and they always do on a
 * form POST. `null` (sandboxed frames, data: pages) and every other site are refused.
 */
function sameOrTrustedOrigin(req: IncomingMessage, url: URL, trusted: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === url.origin || trusted.includes(origin);
}

function clearCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

function loginPage(provider: string, redirectTo: string, error?: string, previous = ''): string {
  const providerName = providerDisplayName(provider);
  const standIn =
    provider === DEV_PROVIDER
      ? 'Local development login'
      : `Local stand-in for signing in with ${providerName}: nothing is sent to ${providerName}`;
  const errorBlock = error ? `<p id="name-error" class="error" role="alert">${escapeHtml(error)}</p>` : '';
  const describedBy = error ? ' aria-describedby="name-error" aria-invalid="true"' : ' aria-describedby="name-hint"';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${error ? 'Error: ' : ''}Sign in with ${escapeHtml(providerName)} – local development</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f5f5f5; color: #1a1a1a; }
main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgb(0 0 0 / 0.15); max-width: 24rem; width: 100%; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
input { font: inherit; width: 100%; box-sizing: border-box; padding: 0.5rem; border: 1px solid #767676; border-radius: 4px; }
button { font: inherit; margin-top: 1rem; padding: 0.5rem 1.25rem; border: 0; border-radius: 4px; background: #0b57d0; color: #fff; cursor: pointer; }
input:focus-visible, button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.hint { color: #4a4a4a; font-size: 0.875rem; }
.error { color: #b3261e; font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>Sign in with ${escapeHtml(providerName)}</h1>
<p class="hint">${escapeHtml(standIn)}. Pick any display name: the same name is the same user.</p>
${errorBlock}
<form method="post" action="${LOGIN_PREFIX}${provider}">
<label for="name">Display name</label>
<p id="name-hint" class="hint">1 to 64 characters.</p>
<input id="name" name="name" type="text" required maxlength="64" autocomplete="nickname" autofocus value="${escapeHtml(previous)}"${describedBy}>
<input type="hidden" name="post_login_redirect_uri" value="${escapeHtml(redirectTo)}">
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}

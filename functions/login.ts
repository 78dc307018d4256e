/**
 * login: `GET /api/login` sends the browser to the platform's sign-in for the configured identity
 * provider, so the SPA needs no per-environment setting: `dev` locally, Entra ID (`aad`) in Azure.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { Routes } from '../contract';
import { signInPath } from './platform/http/identity';
import { withErrors } from './platform/http/with-errors';

export async function login(request: HttpRequest): Promise<HttpResponseInit> {
  const back = request.query.get('post_login_redirect_uri') ?? '/';
  // Only same-origin paths: never an open redirect. Browsers read "/\host" and paths with tabs or
  // line breaks as "//host", so those are refused too.
  const target = back.startsWith('/') && !/^\/[/\\]|[\\\u0000-\u001f\u007f]/.test(back) ? back : '/';
  return {
    status: 302,
    headers: {
      location: `${signInPath()}?post_login_redirect_uri=${encodeURIComponent(target)}`,
      'cache-control': 'no-store',
    },
  };
}

app.http('login', { route: Routes.login, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(login) });

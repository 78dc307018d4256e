/**
 * me: who the platform says the caller is. Signed out, it answers 401 with where to sign in:
 * `/.auth/login/<provider>`, `dev` locally and the configured provider (e.g. `aad`) in Azure.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { Routes } from '../contract';
import { principalOf, signInPath } from './platform/http/identity';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function me(request: HttpRequest): Promise<HttpResponseInit> {
  // Not requireUser: signed out is an answer here, carrying where to sign in.
  const principal = principalOf(request);
  if (principal) return json(200, principal);
  return json(401, { error: { code: 'unauthenticated', message: 'Sign in first' }, signIn: signInPath() });
}

app.http('me', { route: Routes.me, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(me) });

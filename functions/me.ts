/** me: who the platform says the caller is, so the SPA can greet them or offer sign-in. */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { json, unauthorized } from './lib/http';
import { principalOf } from './lib/identity';

export async function me(request: HttpRequest): Promise<HttpResponseInit> {
  const principal = principalOf(request);
  return principal ? json(200, principal) : unauthorized();
}

app.http('me', { route: 'api/me', methods: ['GET'], authLevel: 'anonymous', handler: me });

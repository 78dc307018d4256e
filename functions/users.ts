/** users: `GET /api/users` — everyone who has signed in, with whether they are online now. */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { Routes } from '../contract';
import { json } from './lib/http';
import { requireUser } from './lib/identity';
import { listUsers } from './lib/users-store';
import { withErrors } from './lib/with-errors';

export async function getUsers(request: HttpRequest): Promise<HttpResponseInit> {
  requireUser(request);
  return json(200, { users: await listUsers() });
}

app.http('users', { route: Routes.users, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(getUsers) });

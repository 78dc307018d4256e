/**
 * users: `GET /api/users?query=&cursor=&limit=` — a page of the people who have signed in, in name
 * order (those whose name starts with `query`, if given), with whether each is online now.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { Routes, type UserList } from '../contract';
import { json, listQuery, pagedByCursor } from './lib/http';
import { requireUser } from './lib/identity';
import { listUsers } from './lib/users-store';
import { withErrors } from './lib/with-errors';

export async function getUsers(request: HttpRequest): Promise<HttpResponseInit> {
  requireUser(request);
  const page = listQuery(request);
  const body: UserList = await pagedByCursor(page.cursor, () => listUsers(page));
  return json(200, body);
}

app.http('users', { route: Routes.users, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(getUsers) });

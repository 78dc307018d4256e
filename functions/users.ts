/**
 * users: `GET /api/users?query=&cursor=&limit=` — a page of the people who have signed in, in name
 * order (those whose name starts with `query`, if given), each with their avatar version, status and
 * presence now (domain/people/cards.ts); or
 * `GET /api/users?id=…&id=…` — those people (ids nobody has signed in with are left out), for a
 * mention of someone no page has shown yet.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { Routes, UserIdsSchema, type UserList } from '../contract';
import { usersOf } from './domain/people/cards';
import { findUser, listUsers } from './domain/people/people-store';
import { requireUser } from './platform/http/identity';
import { requireListToken } from './platform/http/rate-limit';
import { checked, listQuery, pagedByCursor } from './platform/http/requests';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getUsers(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  if (request.query.has('id')) {
    const ids = [...new Set(checked(UserIdsSchema, request.query.getAll('id')))];
    await requireListToken('users', user.id);
    const found = await Promise.all(ids.map((id) => findUser(id)));
    const body: UserList = { users: await usersOf(found.filter((user) => user !== undefined)) };
    return json(200, body);
  }
  const page = listQuery(request);
  await requireListToken('users', user.id);
  const { users, cursor } = await pagedByCursor(page.cursor, () => listUsers(page));
  const body: UserList = { users: await usersOf(users), ...(cursor && { cursor }) };
  return json(200, body);
}

app.http('users', { route: Routes.users, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(getUsers) });

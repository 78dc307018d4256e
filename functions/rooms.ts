/**
 * rooms: `GET /api/rooms?query=&cursor=&limit=` — a page of rooms. The first page holds `general`,
 * every room the caller joined and their direct messages, then public rooms in name order; later
 * pages (with `cursor`) hold public rooms only. `query` keeps those whose name (a DM: the other
 * person's name) starts with it.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type RoomList, Routes } from '../contract';
import { listRooms } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireListToken } from './platform/http/rate-limit';
import { listQuery, pagedByCursor } from './platform/http/requests';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getRooms(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const page = listQuery(request);
  await requireListToken('rooms', user.id);
  const body: RoomList = await pagedByCursor(page.cursor, () => listRooms(user, page));
  return json(200, body);
}

app.http('rooms', { route: Routes.rooms, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(getRooms) });

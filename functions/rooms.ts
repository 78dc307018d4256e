/** rooms: `GET /api/rooms` lists every public room and the caller's direct messages. */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { Routes } from '../contract';
import { json } from './lib/http';
import { requireUser } from './lib/identity';
import { listRooms } from './lib/rooms-store';
import { withErrors } from './lib/with-errors';

export async function getRooms(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  return json(200, { rooms: await listRooms(user) });
}

app.http('rooms', { route: Routes.rooms, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(getRooms) });

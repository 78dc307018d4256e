/** rooms: `GET /api/rooms` lists every public room and the caller's direct messages. */
import { Routes } from '../contract';
import { app } from '@azure/functions';
import { authenticated } from './lib/handler';
import { json } from './lib/http';
import { listRooms } from './lib/rooms-store';

export const getRooms = authenticated(async (_request, _context, user) => json(200, { rooms: await listRooms(user) }));

app.http('rooms', { route: Routes.rooms, methods: ['GET'], authLevel: 'anonymous', handler: getRooms });

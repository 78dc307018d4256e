/** joinRoom: `POST /api/rooms/{room}/join` — the caller's connections, now and later, receive the room. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { RoomNameSchema, Routes } from '../contract';
import { checked, forbidden, json, notFound, requireJson } from './lib/http';
import { requireUser } from './lib/identity';
import { addMember, GENERAL, getRoom, roomFor } from './lib/rooms-store';
import { signalROut } from './lib/signalr';
import { withErrors } from './lib/with-errors';

export async function postJoin(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  if (room === GENERAL) return json(200, roomFor(GENERAL, undefined, user, true));
  const entity = await getRoom(room);
  if (!entity) return notFound(`No room ${room}`);
  if (entity.kind === 'dm') return forbidden('Direct messages cannot be joined');
  await addMember(room, user);
  context.extraOutputs.set(signalROut, [{ action: 'add', groupName: room, userId: user.id }]);
  return json(200, roomFor(room, entity, user, true));
}

app.http('joinRoom', {
  route: Routes.joinRoom,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postJoin),
});

/** joinRoom: `POST /api/rooms/{room}/join` — the caller's connections, now and later, receive the room. */
import { app } from '@azure/functions';
import { check, RoomNameSchema, Routes } from '../contract';
import { authenticated } from './lib/handler';
import { badRequest, forbidden, json, notFound } from './lib/http';
import { addMember, getRoom, GENERAL, roomFor } from './lib/rooms-store';
import { signalROut } from './lib/signalr';

export const postJoin = authenticated(async (request, context, user) => {
  const room = check(RoomNameSchema, request.params['room']);
  if (!room.ok) return badRequest(room.message);
  if (room.value === GENERAL) return json(200, roomFor(GENERAL, undefined, user, true));
  const entity = await getRoom(room.value);
  if (!entity) return notFound(`No room ${room.value}`);
  if (entity.kind === 'dm') return forbidden('Direct messages cannot be joined');
  await addMember(room.value, user);
  context.extraOutputs.set(signalROut, [{ action: 'add', groupName: room.value, userId: user.id }]);
  return json(200, roomFor(room.value, entity, user, true));
});

app.http('joinRoom', {
  route: Routes.joinRoom,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: postJoin,
});

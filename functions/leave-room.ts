/** leaveRoom: `POST /api/rooms/{room}/leave` — stops the room's messages reaching the caller. */
import { app } from '@azure/functions';
import { check, RoomNameSchema, Routes } from '../contract';
import { authenticated } from './lib/handler';
import { badRequest, notFound } from './lib/http';
import { GENERAL, getRoom, removeMember } from './lib/rooms-store';
import { signalROut } from './lib/signalr';

export const postLeave = authenticated(async (request, context, user) => {
  const room = check(RoomNameSchema, request.params['room']);
  if (!room.ok) return badRequest(room.message);
  if (room.value === GENERAL) return badRequest('Everyone stays in general');
  if (!(await getRoom(room.value))) return notFound(`No room ${room.value}`);
  await removeMember(room.value, user.id);
  context.extraOutputs.set(signalROut, [{ action: 'remove', groupName: room.value, userId: user.id }]);
  return { status: 204 };
});

app.http('leaveRoom', {
  route: Routes.leaveRoom,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: postLeave,
});

/** typing: `POST /api/rooms/{room}/typing` — tells the room the caller is typing (clients throttle and expire it). */
import { app } from '@azure/functions';
import { check, RoomNameSchema, Routes } from '../contract';
import { authenticated } from './lib/handler';
import { badRequest, forbidden, notFound } from './lib/http';
import { isMember, roomExists } from './lib/rooms-store';
import { roomMessage, signalROut } from './lib/signalr';

export const postTyping = authenticated(async (request, context, user) => {
  const room = check(RoomNameSchema, request.params['room']);
  if (!room.ok) return badRequest(room.message);
  if (!(await isMember(room.value, user.id))) {
    return (await roomExists(room.value))
      ? forbidden(`You are not a member of ${room.value}`)
      : notFound(`No room ${room.value}`);
  }
  context.extraOutputs.set(signalROut, [roomMessage(room.value, 'typing', { room: room.value, user })]);
  return { status: 202 };
});

app.http('typing', {
  route: Routes.typing,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: postTyping,
});

/** typing: `POST /api/rooms/{room}/typing` — tells the room the caller is typing (clients throttle and expire it). */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { RoomNameSchema, Routes } from '../contract';
import { checked, requireJson } from './lib/http';
import { requireUser } from './lib/identity';
import { requireMember } from './lib/membership';
import { roomMessage, signalROut } from './lib/signalr';
import { withErrors } from './lib/with-errors';

export async function postTyping(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  await requireMember(room, user);
  context.extraOutputs.set(signalROut, [roomMessage(room, 'typing', { room, user })]);
  return { status: 202 };
}

app.http('typing', {
  route: Routes.typing,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postTyping),
});

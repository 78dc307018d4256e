/**
 * typing: `POST /api/rooms/{room}/typing` — tells the room the caller is typing (clients throttle and
 * expire it; the server refuses more than about one per 2 s per room with 429).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { RoomNameSchema, Routes, TYPING_RATE_LIMIT } from '../contract';
import { findUser } from './domain/people/people-store';
import { requireWritable } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { withErrors } from './platform/http/with-errors';
import { roomMessage, signalROut } from './platform/signalr/signalr';

export async function postTyping(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  // The name the person chose (docs/people.md), read beside the membership check.
  const named = findUser(user.id).catch(() => undefined);
  await requireWritable(room, user);
  // Each typing event fans out to the whole room: about one per 2 s per person and room.
  await requireToken(`typing.${room}`, user.id, TYPING_RATE_LIMIT);
  const typist = { id: user.id, name: (await named)?.name ?? user.name };
  context.extraOutputs.set(signalROut, [roomMessage(room, 'typing', { room, user: typist })]);
  return { status: 202 };
}

app.http('typing', {
  route: Routes.typing,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postTyping),
});

/** joinRoom: `POST /api/rooms/{room}/join` — the caller's connections, now and later, receive the room. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { addMember } from './domain/rooms/membership-changes';
import { noSuchRoom } from './domain/rooms/require-member';
import { GENERAL, moderates, roomFor, visibleRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { forbidden, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postJoin(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  if (room === GENERAL) return json(200, roomFor(GENERAL, undefined, user, true));
  const [, entity] = await Promise.all([
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
    visibleRoom(room, user.id),
  ]);
  if (!entity) return noSuchRoom(room);
  if (entity.kind === 'dm') return forbidden('Direct messages cannot be joined');
  // The group action follows the membership as stored after the write: a leave that raced and
  // committed last wins in storage and in SignalR alike.
  const member = await addMember(room, user, moderates(room, entity, user.id));
  context.extraOutputs.set(signalROut, [groupActionFor(room, user.id, member)]);
  return json(200, roomFor(room, entity, user, member));
}

app.http('joinRoom', {
  route: Routes.joinRoom,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postJoin),
});

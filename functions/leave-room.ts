/**
 * leaveRoom: `POST /api/rooms/{room}/leave` — stops the room's messages reaching the caller. A
 * non-member's leave writes nothing (204; 404 for a DM between others, as for no such room).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { removeMember } from './domain/rooms/membership-changes';
import { isMember } from './domain/rooms/memberships-store';
import { noSuchRoom } from './domain/rooms/require-member';
import { GENERAL, visibleRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { badRequest } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postLeave(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  if (room === GENERAL) return badRequest('Everyone stays in general');
  const [, entity, member] = await Promise.all([
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
    visibleRoom(room, user.id),
    isMember(room, user.id),
  ]);
  if (!entity) return noSuchRoom(room);
  if (!member) return { status: 204 };
  // As in joinRoom: the group action follows the membership read back after the write.
  const still = await removeMember(room, user.id);
  context.extraOutputs.set(signalROut, [groupActionFor(room, user.id, still)]);
  return { status: 204 };
}

app.http('leaveRoom', {
  route: Routes.leaveRoom,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postLeave),
});

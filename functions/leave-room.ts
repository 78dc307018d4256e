/**
 * leaveRoom: `POST /api/rooms/{room}/leave` — stops the room's messages reaching the caller. A
 * non-member's leave writes nothing (204; 404 for a private room or DM they are not in, as for no
 * such room). An owner leaving hands ownership on (member-actions.ts takeOut).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { takeOut } from './domain/rooms/member-actions';
import { isMember } from './domain/rooms/memberships-store';
import { noSuchRoom } from './domain/rooms/require-member';
import { GENERAL, visibleRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { badRequest } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

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
  const { actions } = await takeOut(room, entity, user, 'left');
  context.extraOutputs.set(signalROut, actions);
  return { status: 204 };
}

app.http('leaveRoom', {
  route: Routes.leaveRoom,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postLeave),
});

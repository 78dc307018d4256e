/**
 * joinRoom: `POST /api/rooms/{room}/join` — the caller's connections, now and later, receive the room.
 * A private room they are not in answers as no such room; a ban 403.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { memberChanged, type SignalRAction } from './domain/rooms/member-actions';
import { changeMembership } from './domain/rooms/membership-changes';
import { membershipOf } from './domain/rooms/memberships-store';
import { noSuchRoom } from './domain/rooms/require-member';
import { GENERAL, roomFor, toRoom, visibleRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { forbidden, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postJoin(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  if (room === GENERAL) return json(200, roomFor(GENERAL, undefined, user, true));
  const [, entity, before] = await Promise.all([
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
    visibleRoom(room, user.id),
    membershipOf(room, user.id),
  ]);
  if (!entity) return noSuchRoom(room);
  if (entity.kind === 'dm') return forbidden('Direct messages cannot be joined');
  if (before.banned) return forbidden(`You are banned from ${room}`);
  // The creator of a room from before roles is its owner again, unless ownership has passed since.
  const role = entity.owner === undefined && entity.createdBy === user.id ? 'owner' : 'member';
  // The group action follows the membership as stored after the write: a leave that raced and
  // committed last wins in storage and in SignalR alike (and a ban that raced keeps them out).
  const after = await changeMembership(room, user, (current) =>
    current.member || current.banned ? undefined : { member: true, role },
  );
  if (after.banned) return forbidden(`You are banned from ${room}`);
  const actions: SignalRAction[] = [groupActionFor(room, user.id, after.member)];
  const shown = toRoom(entity, user, after.member, after.role);
  if (after.member && !before.member) {
    // Their other tabs and devices show it at once; the room sees them arrive.
    actions.push(
      { ...event('membership', { name: room, room: shown }), userId: user.id },
      memberChanged(room, user, { role: after.role ?? role }),
    );
  }
  context.extraOutputs.set(signalROut, actions);
  return json(200, shown);
}

app.http('joinRoom', {
  route: Routes.joinRoom,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postJoin),
});

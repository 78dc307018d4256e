/**
 * addRoomMember: `POST /api/rooms/{room}/members` `{ userId }` — a member of the room (or a workspace
 * admin, in a room they can see) adds a person Hubbub knows. They are in at once: added to the room's
 * SignalR group by user id (every connection, no reconnect), told by `membership` with the room, and
 * the room hears `memberChanged`. Adding a member changes nothing (200, no events); a banned person
 * is refused (403) until unbanned. Who may do what: docs/behaviour.md, Rooms, roles and moderation.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { AddMemberRequestSchema, MEMBERSHIP_RATE_LIMIT, RoomNameSchema, type RoomRole, Routes } from '../contract';
import { findUser } from './domain/people/people-store';
import { memberChanged, roomToManage, type SignalRAction } from './domain/rooms/member-actions';
import { changeMembership } from './domain/rooms/membership-changes';
import { membershipOf } from './domain/rooms/memberships-store';
import { roleIn, toRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { forbidden, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postRoomMember(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const { userId } = checked(AddMemberRequestSchema, await readJsonObject(request));
  const [managed] = await allInOrder([
    roomToManage(room, user),
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
  ] as const);
  if (!managed.membership.member && !managed.manages) return forbidden(`You are not a member of ${room}`);
  const [person, before] = await Promise.all([findUser(userId), membershipOf(room, userId)]);
  if (!person) return notFound(`No person ${userId}`);
  const shown = (role: RoomRole | undefined) => ({ id: person.id, name: person.name, ...(role && { role }) });
  if (before.member) return json(200, shown(roleIn(managed.entity, before, person.id)));
  if (before.banned) return forbidden(`${person.name} is banned from ${room}`);
  const after = await changeMembership(room, person, (current) =>
    current.member || current.banned ? undefined : { member: true, role: 'member' },
  );
  if (after.banned) return forbidden(`${person.name} is banned from ${room}`);
  const actions: SignalRAction[] = [groupActionFor(room, person.id, after.member)];
  if (after.member) {
    actions.push(
      {
        ...event('membership', { name: room, room: toRoom(managed.entity, person, true, after.role) }),
        userId: person.id,
      },
      memberChanged(room, person, { role: after.role ?? 'member' }),
    );
  }
  context.extraOutputs.set(signalROut, actions);
  return json(200, shown(after.member ? (after.role ?? 'member') : undefined));
}

app.http('addRoomMember', {
  route: Routes.roomMembers,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postRoomMember),
});

/**
 * addRoomMember: `POST /api/rooms/{room}/members` `{ userId }` — a member of the room (or a workspace
 * admin, in a room they can see) adds a person Hubbub knows. They are in at once: added to the room's
 * SignalR group by user id (every connection, no reconnect), told by `membership` with the room, and
 * the room hears `memberChanged`. Adding a member changes nothing (200, no events); a banned person
 * is refused (403) until unbanned; in a private room whose owner set `membersMayAdd: false`, a plain
 * member is refused (403). Who may do what: docs/behaviour.md, Rooms, roles and moderation.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import {
  AddMemberRequestSchema,
  DM_OPEN_RATE_LIMIT,
  DM_PREFIX,
  MAX_GROUP_DM_PEOPLE,
  MEMBERSHIP_RATE_LIMIT,
  RoomNameSchema,
  type RoomRole,
  Routes,
} from '../contract';
import { findUser } from './domain/people/people-store';
import { conversationOpened, memberChanged, roomToManage, type SignalRAction } from './domain/rooms/member-actions';
import { changeMembership } from './domain/rooms/membership-changes';
import { membershipOf } from './domain/rooms/memberships-store';
import { noSuchRoom } from './domain/rooms/require-member';
import { dmMembers, roleIn, toRoom, visibleRoom } from './domain/rooms/rooms-store';
import { type Principal, requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, forbidden, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postRoomMember(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const { userId } = checked(AddMemberRequestSchema, await readJsonObject(request));
  const dm = await groupFromDm(room, user, userId, context);
  if (dm) return dm;
  const [managed] = await allInOrder([
    roomToManage(room, user),
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
  ] as const);
  if (!managed.membership.member && !managed.manages) return forbidden(`You are not a member of ${room}`);
  if (managed.entity.private && managed.entity.membersMayAdd === false && !managed.manages) {
    return forbidden(`Only the owner and admins of ${room} can add people to it`);
  }
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

/**
 * Someone added to a DM (or a group conversation) starts a new group conversation of its people and
 * them, so the old one stays as private as it was: answers `201` with it. Undefined: not a DM.
 */
async function groupFromDm(
  room: string,
  user: Principal,
  userId: string,
  context: InvocationContext,
): Promise<HttpResponseInit | undefined> {
  if (!room.startsWith(DM_PREFIX)) return undefined;
  const [entity, membership] = await Promise.all([visibleRoom(room, user.id), membershipOf(room, user.id)]);
  if (!entity) return noSuchRoom(room);
  if (!membership.member) return forbidden(`You are not a member of ${room}`);
  const people = dmMembers(entity).filter((p) => p.id !== user.id);
  if (people.some((p) => p.id === userId)) return badRequest(`${userId} is in this conversation already`);
  if (people.length + 2 > MAX_GROUP_DM_PEOPLE) {
    return badRequest(`A group conversation holds at most ${MAX_GROUP_DM_PEOPLE} people`);
  }
  const [, person] = await Promise.all([requireToken('dm-open', user.id, DM_OPEN_RATE_LIMIT), findUser(userId)]);
  if (!person) return notFound(`No person ${userId}`);
  // The names as Hubbub knows them now.
  const known = await Promise.all(people.map(async (p) => (await findUser(p.id)) ?? p));
  const { room: opened, actions } = await conversationOpened(user, [...known, person]);
  context.extraOutputs.set(signalROut, actions);
  return json(201, opened);
}

app.http('addRoomMember', {
  route: Routes.roomMembers,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postRoomMember),
});

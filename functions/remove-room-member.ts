/**
 * removeRoomMember: `DELETE /api/rooms/{room}/members/{userId}` (`?ban=true` also bans) — the room's
 * owner and admins (and workspace admins) take someone out; anyone may take themselves out (as leave
 * does). Nobody but a workspace admin acts on the owner, who hands the room on by leaving. The person
 * is out of the room's SignalR group in the same output (the version-row ordering of joins and
 * leaves: member-actions.ts takeOut), told by `membership`, and the room hears `memberChanged`. A
 * ban keeps them from joining or being added until lifted (`DELETE …/bans/{userId}`), and can be
 * set on someone not in the room. 204 either way; removing a non-member without a ban changes nothing.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes, UserIdSchema } from '../contract';
import { findUser } from './domain/people/people-store';
import { roomToManage, takeOut } from './domain/rooms/member-actions';
import { indexedPerson } from './domain/rooms/member-index-store';
import { membershipOf } from './domain/rooms/memberships-store';
import { workspaceAdmins } from './domain/rooms/moderators';
import { roleIn } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { requireToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { badRequest, forbidden, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function deleteRoomMember(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const userId = checked(UserIdSchema, request.params['userId']);
  const banParam = request.query.get('ban');
  if (banParam !== null && banParam !== 'true' && banParam !== 'false') return badRequest('ban must be true or false');
  const ban = banParam === 'true';
  const [managed] = await allInOrder([
    roomToManage(room, user),
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
  ] as const);
  const self = userId === user.id;
  if (self && ban) return badRequest('You cannot ban yourself');
  if (self && !managed.membership.member) return { status: 204 };
  if (!self) {
    if (!managed.manages) return forbidden(`Only the owner and admins of ${room} can remove or ban people`);
    const target = await membershipOf(room, userId);
    if (!target.member && !ban) return { status: 204 };
    if (roleIn(managed.entity, target, userId) === 'owner' && !workspaceAdmins().has(user.id)) {
      return forbidden(`The owner of ${room} cannot be removed; they hand it on by leaving`);
    }
  }
  // The person's name, for the events: the room's index knows members, else the people list.
  const known = self ? user : ((await indexedPerson(room, userId)) ?? (await findUser(userId)));
  if (!known) return notFound(`No person ${userId}`);
  const { actions } = await takeOut(
    room,
    managed.entity,
    { id: userId, name: known.name },
    self ? 'left' : ban ? 'banned' : 'removed',
  );
  if (actions.length > 0) context.extraOutputs.set(signalROut, actions);
  return { status: 204 };
}

app.http('removeRoomMember', {
  route: Routes.roomMember,
  methods: ['DELETE'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(deleteRoomMember),
});

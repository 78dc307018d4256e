/**
 * setMemberRole: `PUT /api/rooms/{room}/members/{userId}` `{ role: "admin" | "member" }` — the room's
 * owner and admins (and workspace admins) make a member an admin or a member again. The owner's role
 * passes only by their leaving (403). Two changes at once are serialised by the person's version row:
 * the one committed last stands, in storage, the members list and the answers alike. The room hears
 * `memberChanged` with the role as stored after the change.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes, SetRoleRequestSchema, UserIdSchema } from '../contract';
import { memberChanged, roomToManage } from './domain/rooms/member-actions';
import { indexedPerson } from './domain/rooms/member-index-store';
import { setRole } from './domain/rooms/membership-changes';
import { membershipOf } from './domain/rooms/memberships-store';
import { roleIn } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { forbidden, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function putMemberRole(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const userId = checked(UserIdSchema, request.params['userId']);
  const { role } = checked(SetRoleRequestSchema, await readJsonObject(request));
  const [managed] = await allInOrder([
    roomToManage(room, user),
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
  ] as const);
  if (!managed.manages) return forbidden(`Only the owner and admins of ${room} can change roles`);
  const [target, person] = await Promise.all([membershipOf(room, userId), indexedPerson(room, userId)]);
  if (!target.member || !person) return notFound(`${userId} is not a member of ${room}`);
  if (roleIn(managed.entity, target, userId) === 'owner') {
    return forbidden(`The owner's role passes only when they leave ${room}`);
  }
  const after = await setRole(room, { id: userId, name: person.name }, role);
  if (!after.member) return notFound(`${userId} is not a member of ${room}`);
  const stored = roleIn(managed.entity, after, userId) ?? 'member';
  context.extraOutputs.set(signalROut, [memberChanged(room, { id: userId, name: person.name }, { role: stored })]);
  return json(200, { id: userId, name: person.name, role: stored });
}

app.http('setMemberRole', {
  route: Routes.roomMember,
  methods: ['PUT'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(putMemberRole),
});

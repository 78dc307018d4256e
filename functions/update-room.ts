/**
 * updateRoom: `PATCH /api/rooms/{room}` `{ title?, topic?, archived?, membersMayAdd? }` — the room's
 * owner and admins (and workspace admins) rename its title, set or clear ('') its topic, or archive
 * it (read-only: sends, edits, reactions, typing and uploads get 409; out of the room list for
 * everyone but its members, who still read it) and bring it back. In a private room the owner (or a
 * workspace admin) alone sets `membersMayAdd` (false: only owner and admins add people). The room
 * hears `roomChanged`; answers the room. `general` and DMs cannot be changed.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes, UpdateRoomRequestSchema } from '../contract';
import { roomToManage } from './domain/rooms/member-actions';
import { workspaceAdmins } from './domain/rooms/moderators';
import { noSuchRoom } from './domain/rooms/require-member';
import { toRoom, updateRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, forbidden, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { roomMessage, signalROut } from './platform/signalr/signalr';

export async function patchRoom(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const change = checked(UpdateRoomRequestSchema, await readJsonObject(request));
  const [managed] = await allInOrder([
    roomToManage(room, user),
    requireToken('room-update', user.id, MEMBERSHIP_RATE_LIMIT),
  ] as const);
  if (!managed.manages) return forbidden(`Only the owner and admins of ${room} can change it`);
  if (change.membersMayAdd !== undefined) {
    if (!managed.entity.private)
      return badRequest(`Anyone may join ${room}: only a private room limits who adds people`);
    if (managed.role !== 'owner' && !workspaceAdmins().has(user.id)) {
      return forbidden(`Only the owner of ${room} decides who may add people`);
    }
  }
  const stored = await updateRoom(room, change);
  if (!stored) return noSuchRoom(room);
  const shown = toRoom(stored, user, managed.membership.member, managed.role);
  context.extraOutputs.set(signalROut, [
    roomMessage(room, 'roomChanged', {
      name: room,
      title: stored.title,
      ...(stored.topic && { topic: stored.topic }),
      ...(stored.archived && { archived: true }),
      ...(shown.membersMayAdd === false && { membersMayAdd: false }),
    }),
  ]);
  return json(200, shown);
}

app.http('updateRoom', {
  route: Routes.room,
  methods: ['PATCH'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(patchRoom),
});

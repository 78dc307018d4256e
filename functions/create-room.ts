/** createRoom: `POST /api/rooms` `{ name }` — creates a public room with the caller as its first member. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { check, DM_PREFIX, type Room, ROOM_CREATE_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { isMember } from './domain/rooms/memberships-store';
import { createRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, errorResponse, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postRoom(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  // The schema names the field "room"; here the caller sent it as "name".
  const name = check(RoomNameSchema, (await readJsonObject(request))['name']);
  if (!name.ok) return badRequest(name.message.replace(/^room/, 'name'));
  if (name.value.startsWith(DM_PREFIX)) return badRequest(`name must not start with "${DM_PREFIX}"`);
  await requireToken('room-create', user.id, ROOM_CREATE_RATE_LIMIT);
  if (!(await createRoom(name.value, user))) return errorResponse(409, 'conflict', `A room named ${name.value} exists`);
  // The creator's group follows their membership as stored (a leave may already have raced it).
  const member = await isMember(name.value, user.id);
  const room: Room = { name: name.value, kind: 'room', title: name.value, joined: member, moderator: true };
  const join = groupActionFor(name.value, user.id, member);
  // Everyone learns of the new room at once (as one they have not joined); the creator's own copy says joined and that they moderate it.
  const announce = event('roomCreated', { name: room.name, kind: room.kind, title: room.title, joined: false });
  context.extraOutputs.set(signalROut, [join, announce]);
  return json(201, room);
}

app.http('createRoom', {
  route: Routes.rooms,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postRoom),
});

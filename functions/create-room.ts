/**
 * createRoom: `POST /api/rooms` `{ name, private? }` — creates a room with the caller as its owner
 * and first member. Everyone hears of a public one (`roomCreated`); nobody of a private one.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import {
  check,
  CreateRoomRequestSchema,
  DM_PREFIX,
  type Room,
  ROOM_CREATE_RATE_LIMIT,
  RoomNameSchema,
  Routes,
} from '../contract';
import { isMember } from './domain/rooms/memberships-store';
import { createRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, errorResponse, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postRoom(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const body = await readJsonObject(request);
  // The schema names the field "room"; here the caller sent it as "name".
  const name = check(RoomNameSchema, body['name']);
  if (!name.ok) return badRequest(name.message.replace(/^room/, 'name'));
  if (name.value.startsWith(DM_PREFIX)) return badRequest(`name must not start with "${DM_PREFIX}"`);
  const isPrivate = checked(CreateRoomRequestSchema, body).private === true;
  await requireToken('room-create', user.id, ROOM_CREATE_RATE_LIMIT);
  // A taken name is a 409 even when the room is private: names are one namespace (as in Slack), so
  // this tells that the name is taken, never what the room holds or who is in it.
  if (!(await createRoom(name.value, user, isPrivate))) {
    return errorResponse(409, 'conflict', `A room named ${name.value} exists`);
  }
  // The creator's group follows their membership as stored (a leave may already have raced it).
  const member = await isMember(name.value, user.id);
  const room: Room = {
    name: name.value,
    kind: 'room',
    title: name.value,
    joined: member,
    moderator: true,
    ...(isPrivate && { private: true }),
    ...(member && { role: 'owner' as const }),
  };
  const join = groupActionFor(name.value, user.id, member);
  // Everyone learns of a new public room at once (as one they have not joined); the creator's own
  // copy says joined and that they own it.
  const announce = event('roomCreated', { name: room.name, kind: room.kind, title: room.title, joined: false });
  // The creator's other tabs and devices list it as theirs (roomCreated alone says "not joined").
  const mine = member ? [{ ...event('membership', { name: room.name, room }), userId: user.id }] : [];
  context.extraOutputs.set(signalROut, isPrivate ? [join, ...mine] : [join, announce, ...mine]);
  return json(201, room);
}

app.http('createRoom', {
  route: Routes.rooms,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postRoom),
});

/**
 * roomMembers: `GET /api/rooms/{room}/members?query=&cursor=&limit=` — a page of the people in a
 * room the caller is in (those whose name starts with `query`, if given), each with their `role`
 * (rooms, not DMs), avatar version, status and presence: whom the composer's `@` list and the
 * members panel offer. `general` holds everyone, so its members are the people list.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type MemberList, RoomNameSchema, Routes } from '../contract';
import { usersOf } from './domain/people/cards';
import { listUsers } from './domain/people/people-store';
import { listMembers } from './domain/rooms/member-index-store';
import { requireMember } from './domain/rooms/require-member';
import { GENERAL, getRoom, roleIn } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { requireListToken } from './platform/http/rate-limit';
import { checked, listQuery, pagedByCursor } from './platform/http/requests';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getRoomMembers(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const page = listQuery(request);
  // Membership refusals come first (403/404), whichever read answers first. The room's row says
  // who owns a room from before roles (rooms-store.ts roleIn), and that a DM has no roles.
  const [, , entity] = await allInOrder([
    requireMember(room, user),
    requireListToken('members', user.id),
    room === GENERAL ? Promise.resolve(undefined) : getRoom(room),
  ]);
  const body: MemberList = await pagedByCursor(page.cursor, async () => {
    if (room !== GENERAL) {
      const { members, cursor } = await listMembers(room, page);
      const users = await usersOf(members);
      const shown = members.map(({ id, role }, i) => ({
        ...users[i],
        ...(entity?.kind === 'room' && { role: roleIn(entity, { member: true, role }, id) }),
      }));
      return cursor ? { members: shown, cursor } : { members: shown };
    }
    const { users, cursor } = await listUsers(page);
    const members = await usersOf(users);
    return cursor ? { members, cursor } : { members };
  });
  return json(200, body);
}

app.http('roomMembers', {
  route: Routes.roomMembers,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getRoomMembers),
});

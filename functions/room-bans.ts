/**
 * roomBans: `GET /api/rooms/{room}/bans?cursor=&limit=` — the room's banned people, for its owner and
 * admins (and workspace admins): one partition query of the room's index.
 *
 * liftBan: `DELETE /api/rooms/{room}/bans/{userId}` — lifts a ban (204, also when there was none);
 * the person stays out until they join or are added.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { type MemberList, MEMBERSHIP_RATE_LIMIT, RoomNameSchema, Routes, UserIdSchema } from '../contract';
import { roomToManage } from './domain/rooms/member-actions';
import { indexedPerson, listBanned } from './domain/rooms/member-index-store';
import { unban } from './domain/rooms/membership-changes';
import { requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { requireListToken, requireToken } from './platform/http/rate-limit';
import { checked, listQuery, pagedByCursor, requireJson } from './platform/http/requests';
import { forbidden, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getRoomBans(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const page = listQuery(request);
  const [managed] = await allInOrder([roomToManage(room, user), requireListToken('members', user.id)] as const);
  if (!managed.manages) return forbidden(`Only the owner and admins of ${room} can see its bans`);
  const body: MemberList = await pagedByCursor(page.cursor, () => listBanned(room, page));
  return json(200, body);
}

export async function deleteRoomBan(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const userId = checked(UserIdSchema, request.params['userId']);
  const [managed] = await allInOrder([
    roomToManage(room, user),
    requireToken('membership', user.id, MEMBERSHIP_RATE_LIMIT),
  ] as const);
  if (!managed.manages) return forbidden(`Only the owner and admins of ${room} can lift a ban`);
  const person = await indexedPerson(room, userId);
  await unban(room, { id: userId, name: person?.name ?? userId });
  return { status: 204 };
}

app.http('roomBans', {
  route: Routes.roomBans,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getRoomBans),
});

app.http('liftBan', {
  route: Routes.roomBan,
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: withErrors(deleteRoomBan),
});

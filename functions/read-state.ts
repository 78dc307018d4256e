/**
 * readState: `GET /api/read-state` — the caller's read state of every room they are in (`general`,
 * then their rooms and direct messages): read position, unread and mention counts (counted from
 * each room's unread index, capped), mute and version. The read limit's token, then one partition
 * query for the positions and one for the memberships, then each room's count (unread-index.ts), in parallel,
 * and the caller's block set once if any room has a mention to check.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { GENERAL_ROOM, type ReadStateList, Routes } from '../contract';
import { blockedSendersOnce } from './domain/people/blocks-store';
import { blankRow, readRows, readStateOf } from './domain/read-state/read-state-store';
import { roomsOf } from './domain/rooms/memberships-store';
import { requireUser } from './platform/http/identity';
import { requireListToken } from './platform/http/rate-limit';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getReadState(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  await requireListToken('read-state', user.id);
  const [rooms, rows] = await Promise.all([roomsOf(user.id), readRows(user.id)]);
  const names = [GENERAL_ROOM, ...rooms.filter((room) => room !== GENERAL_ROOM).sort()];
  const blocked = blockedSendersOnce(user.id);
  const states = await Promise.all(
    names.map((room) => readStateOf(user.id, rows.get(room) ?? blankRow(room), blocked)),
  );
  const body: ReadStateList = { rooms: states };
  return json(200, body);
}

app.http('readState', {
  route: Routes.readState,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getReadState),
});

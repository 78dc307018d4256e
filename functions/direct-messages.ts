/**
 * directMessages: `POST /api/dms` `{ userId }` — opens (or reopens) the private room of two people:
 * the first opening adds both, a later one only the caller (rooms-store.ts openDm). Neither may
 * open it while one of them blocks the other (403; docs/security.md "Blocking").
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { check, DM_OPEN_RATE_LIMIT, Routes, UserIdSchema } from '../contract';
import { blockedDm, dmBlocks } from './domain/people/blocks-store';
import { findUser } from './domain/people/people-store';
import { dmRoomName, openDm, toRoom } from './domain/rooms/rooms-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postDm(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const otherId = (await readJsonObject(request))['userId'];
  const valid = check(UserIdSchema, otherId);
  if (!valid.ok) return badRequest(valid.message);
  if (valid.value === user.id) return badRequest('A direct message needs someone else');
  const [, other, blocked] = await Promise.all([
    requireToken('dm-open', user.id, DM_OPEN_RATE_LIMIT),
    findUser(valid.value),
    dmBlocks(dmRoomName(user.id, valid.value), user.id),
  ]);
  if (!other) return notFound('No such person');
  const refusal = blockedDm(blocked);
  if (refusal) return refusal;
  // Each person's group follows their membership as stored after the writes.
  const { name, entity, mine, theirs, added } = await openDm(user, other);
  const groups = [groupActionFor(name, user.id, mine)];
  if (added.includes(other.id)) groups.push(groupActionFor(name, other.id, theirs));
  context.extraOutputs.set(signalROut, groups);
  return json(200, toRoom(entity, user, mine));
}

app.http('directMessages', {
  route: Routes.directMessages,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postDm),
});

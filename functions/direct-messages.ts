/**
 * directMessages: `POST /api/dms` `{ userId }` — opens (or reopens) the private room of two people:
 * the first opening adds both, a later one only the caller (rooms-store.ts openDm). Neither may
 * open it while one of them blocks the other (403; docs/security.md "Blocking"). `{ userIds }`
 * (2-7 others) opens a group conversation of 3-8 people the same way; the people it adds are told
 * by `membership` (member-actions.ts conversationOpened). Blocks are not consulted for a group.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { check, DM_OPEN_RATE_LIMIT, MAX_GROUP_DM_PEOPLE, Routes, UserIdSchema } from '../contract';
import { blockedDm, dmBlocks } from './domain/people/blocks-store';
import { dmRoomName } from './domain/people/dm-names';
import { findUser } from './domain/people/people-store';
import { conversationOpened } from './domain/rooms/member-actions';
import { openDm, toRoom } from './domain/rooms/rooms-store';
import { type Principal, requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { groupActionFor, signalROut } from './platform/signalr/signalr';

export async function postDm(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const body = await readJsonObject(request);
  if ('userIds' in body) return postGroup(user, body['userIds'], context);
  const otherId = body['userId'];
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

async function postGroup(user: Principal, ids: unknown, context: InvocationContext): Promise<HttpResponseInit> {
  const others = Array.isArray(ids) ? [...new Set(ids)] : [];
  const most = MAX_GROUP_DM_PEOPLE - 1;
  if (!Array.isArray(ids) || others.length < 2 || others.length > most || others.includes(user.id)) {
    return badRequest(`userIds must name 2-${most} other people`);
  }
  for (const id of others) {
    const valid = check(UserIdSchema, id);
    if (!valid.ok) return badRequest(valid.message);
  }
  const [, people] = await Promise.all([
    requireToken('dm-open', user.id, DM_OPEN_RATE_LIMIT),
    Promise.all(others.map((id) => findUser(id as string))),
  ]);
  const found = people.filter((p): p is Principal => p !== undefined);
  if (found.length !== others.length) return notFound('No such person');
  const { room, actions } = await conversationOpened(user, found);
  context.extraOutputs.set(signalROut, actions);
  return json(200, room);
}

app.http('directMessages', {
  route: Routes.directMessages,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postDm),
});

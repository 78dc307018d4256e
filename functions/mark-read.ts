/**
 * markRead: `PUT /api/rooms/{room}/read` — `{ seq? }` moves the caller's read position of the room
 * forward to that change number (the room's newest when absent, and never beyond it); `{ unreadFrom:
 * messageId }` ("mark as unread") sets it to just before that message. Answers the read state and,
 * when it changed, sends `readState` to every connection of the caller (all tabs and devices).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MarkReadRequestSchema, READ_STATE_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { firstSeqOf, latestSeq } from './domain/messages/room-log';
import { changeRow, readStateOf } from './domain/read-state/read-state-store';
import { requireMember } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { takeToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { json, notFound, tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, signalROut } from './platform/signalr/signalr';

export async function putRead(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const body = checked(MarkReadRequestSchema, await readJsonObject(request));
  await requireMember(room, user);
  const rate = await takeToken('read-state', user.id, READ_STATE_RATE_LIMIT);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);

  let result;
  if ('unreadFrom' in body) {
    const first = await firstSeqOf(room, body.unreadFrom);
    if (first === undefined) return notFound(`No message ${body.unreadFrom} in ${room}`);
    result = await changeRow(user.id, room, (current) => ({ readSeq: first - 1, notify: current.notify }));
  } else {
    const newest = await latestSeq(room);
    const seq = Math.min(body.seq ?? newest, newest);
    result = await changeRow(user.id, room, (current) =>
      seq > current.readSeq ? { readSeq: seq, notify: current.notify } : undefined,
    );
  }
  const state = await readStateOf(user.id, result.row);
  if (result.changed) context.extraOutputs.set(signalROut, [{ ...event('readState', state), userId: user.id }]);
  return json(200, state);
}

app.http('markRead', {
  route: Routes.markRead,
  methods: ['PUT'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(putRead),
});

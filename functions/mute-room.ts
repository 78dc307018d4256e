/**
 * muteRoom: `PUT /api/rooms/{room}/mute` `{ muted }` — the notification level's older form
 * (room-notifications.ts): `true` sets `nothing`, `false` sets `mentions`. While muted the caller
 * receives no `mention` events and no push from the room; its counts are still kept. Answers the read state and, when it changed,
 * sends `readState` to every connection of the caller.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MuteRequestSchema, READ_STATE_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { setNotifyLevel } from './domain/push/notify-levels';
import { readStateOf } from './domain/read-state/read-state-store';
import { requireMember } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { takeToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { json, tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, signalROut } from './platform/signalr/signalr';

export async function putMute(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const { muted } = checked(MuteRequestSchema, await readJsonObject(request));
  await requireMember(room, user);
  const rate = await takeToken('read-state', user.id, READ_STATE_RATE_LIMIT);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const result = await setNotifyLevel(user.id, room, muted ? 'nothing' : 'mentions');
  const state = await readStateOf(user.id, result.row);
  if (result.changed) context.extraOutputs.set(signalROut, [{ ...event('readState', state), userId: user.id }]);
  return json(200, state);
}

app.http('muteRoom', {
  route: Routes.muteRoom,
  methods: ['PUT'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(putMute),
});

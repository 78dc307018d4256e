/**
 * roomNotifications: `PUT /api/rooms/{room}/notifications` `{ level }` — what of the room notifies
 * the caller: `all` messages, `mentions` (the default: mentions, `@room`, and every message of a
 * direct or group conversation) or `nothing`, in their tabs, by push and on the badge
 * (docs/push.md). Members only. Answers the read state (with `notify`) and, when it changed, sends
 * `readState` to every connection of the caller.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { NOTIFICATION_SETTINGS_RATE_LIMIT, NotificationLevelRequestSchema, RoomNameSchema, Routes } from '../contract';
import { setNotifyLevel } from './domain/push/notify-levels';
import { readStateOf } from './domain/read-state/read-state-store';
import { requireMember } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { event, signalROut } from './platform/signalr/signalr';

export async function putRoomNotifications(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const { level } = checked(NotificationLevelRequestSchema, await readJsonObject(request));
  await requireMember(room, user);
  await requireToken('notification-settings', user.id, NOTIFICATION_SETTINGS_RATE_LIMIT);
  const result = await setNotifyLevel(user.id, room, level);
  const state = await readStateOf(user.id, result.row);
  if (result.changed) context.extraOutputs.set(signalROut, [{ ...event('readState', state), userId: user.id }]);
  return json(200, state);
}

app.http('roomNotifications', {
  route: Routes.roomNotifications,
  methods: ['PUT'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(putRoomNotifications),
});

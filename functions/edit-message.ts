/**
 * editMessage: `PATCH /api/rooms/{room}/messages/{id}` `{ text, revision, mentions?, mentionsRoom? }`
 * — the author changes the text (validated as a new message's) and whom it mentions (kept as a new
 * message's, domain/mentions/mentions.ts). The highest revision wins, so a late older edit changes
 * nothing and sends nothing. The room receives `messageChanged`; whom the message never told and
 * now mentions receive `mention` (the room: one group event, within the `@room` budget), and those
 * whose unread mention count it moved by name `readState`. An exact repeat of the latest edit (the
 * same revision, a client's retry) changes nothing and sends `messageChanged` and its `mention`
 * events again, as its first attempt's may have been lost.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { ClientIdSchema, EditMessageRequestSchema, ROOM_MENTION_RATE_LIMIT, RoomNameSchema, Routes } from '../contract';
import { editFollowUps, editMentions, keptMentions } from './domain/mentions/mentions';
import { changeMessage } from './domain/messages/change-message';
import { decideEdit, toldOf } from './domain/messages/message-changes';
import { findMessage } from './domain/messages/room-log';
import { requireWritable } from './domain/rooms/require-member';
import { indexSoon } from './domain/search/search-index';
import { requireUser } from './platform/http/identity';
import { takeSendToken, takeToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function editMessage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  const edit = checked(EditMessageRequestSchema, await readJsonObject(request));
  await requireWritable(room, user);
  // Whom the edit may mention is read before the change (the decision runs inside the log's
  // retry loop and must not read), while the send limit is taken: they do not depend on each other.
  // For `@room`, the message too: an edit that would tell the room takes from the `@room` budget.
  const [rate, members, current] = await Promise.all([
    takeSendToken(user.id),
    keptMentions(room, edit.mentions, edit.mentionsRoom),
    edit.mentionsRoom ? findMessage(room, id) : undefined,
  ]);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  if (members.mentionsRoom && current && current.sender.id === user.id && !toldOf(current).toldRoom) {
    const roomRate = await takeToken(`room-mention.${room}`, user.id, ROOM_MENTION_RATE_LIMIT);
    if (!roomRate.allowed) return tooManyRequests(roomRate.retryAfterSeconds);
  }
  const now = new Date().toISOString();
  const response = await changeMessage(
    context,
    room,
    id,
    (stored) => decideEdit(stored, user, edit, members, now),
    (previous, stored, message) => editFollowUps(context, user, previous, stored, message),
    (stored, message) =>
      stored.sender.id === user.id && stored.revision === edit.revision ? editMentions(stored, message) : undefined,
  );
  // The search index catches up after the answer (docs/search.md): an edit never waits for it.
  indexSoon(room, (line) => context.warn(line));
  return response;
}

app.http('editMessage', {
  route: Routes.message,
  methods: ['PATCH'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(editMessage),
});

/**
 * editMessage: `PATCH /api/rooms/{room}/messages/{id}` `{ text, revision, mentions?, mentionsRoom? }`
 * — the author changes the text (validated as a new message's) and whom it mentions (kept as a new
 * message's, domain/mentions/mentions.ts). The highest revision wins, so a repeated or late older
 * edit changes nothing and sends nothing. The room receives `messageChanged`; people the edit newly mentions
 * receive `mention`, and those whose unread mention count it moved `readState`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { ClientIdSchema, EditMessageRequestSchema, RoomNameSchema, Routes } from '../contract';
import { editFollowUps, keptMentions } from './domain/mentions/mentions';
import { changeMessage } from './domain/messages/change-message';
import { decideEdit } from './domain/messages/message-changes';
import { requireMember } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { takeSendToken } from './platform/http/rate-limit';
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
  await requireMember(room, user);
  // Whom the edit may mention is read before the change (the decision runs inside the log's
  // retry loop and must not read), while the send limit is taken: they do not depend on each other.
  const [rate, members] = await Promise.all([
    takeSendToken(user.id),
    keptMentions(room, edit.mentions, edit.mentionsRoom),
  ]);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const now = new Date().toISOString();
  return changeMessage(
    context,
    room,
    id,
    (current) => decideEdit(current, user, edit, members, now),
    (previous, stored, message) => editFollowUps(context, user, previous, stored, message),
  );
}

app.http('editMessage', {
  route: Routes.message,
  methods: ['PATCH'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(editMessage),
});

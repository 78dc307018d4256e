/**
 * editMessage: `PATCH /api/rooms/{room}/messages/{id}` `{ text, revision }` — the author changes
 * the text (validated as a new message's). The highest revision wins, so a repeated or late older
 * edit changes nothing. The room receives `messageChanged`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { ClientIdSchema, EditMessageRequestSchema, RoomNameSchema, Routes } from '../contract';
import { changeMessage } from './lib/change-message';
import { checked, readJsonObject, requireJson, tooManyRequests } from './lib/http';
import { requireUser } from './lib/identity';
import { requireMember } from './lib/membership';
import { decideEdit } from './lib/message-changes';
import { takeSendToken } from './lib/rate-limit';
import { signalROut } from './lib/signalr';
import { withErrors } from './lib/with-errors';

export async function editMessage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  const edit = checked(EditMessageRequestSchema, await readJsonObject(request));
  await requireMember(room, user);
  const rate = await takeSendToken(user.id);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const now = new Date().toISOString();
  return changeMessage(context, room, id, (current) => decideEdit(current, user, edit, now));
}

app.http('editMessage', {
  route: Routes.message,
  methods: ['PATCH'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(editMessage),
});

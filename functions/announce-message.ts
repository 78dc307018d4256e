/**
 * announceMessage: `POST /api/rooms/{room}/messages/{id}/announce` — the author asks for a stored
 * message to be broadcast to the room again. A send whose broadcast failed after the message was
 * stored (SignalR throttled or unreachable) answers 500, and its retry finds the message stored
 * and sends nothing; the sender's client then announces it until this succeeds, so people who
 * stayed connected see the message without reloading, and whom it mentions are told (the first
 * attempt's `mention` events may have been lost part-way). Clients show a message once by id, and
 * a notification once by its tag (the message id), so an extra delivery is harmless. Past {@link ANNOUNCE_WINDOW_MS}, or once deleted, there is nothing
 * to announce (204): clients that missed it catch up by change number.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { ANNOUNCE_WINDOW_MS, ClientIdSchema, RoomNameSchema, Routes } from '../contract';
import { mentionEvents } from './domain/mentions/mentions';
import { presentOne } from './domain/messages/message-view';
import { findMessage } from './domain/messages/room-log';
import { requireMember } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { takeSendToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { forbidden, notFound, tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { roomMessage, signalROut } from './platform/signalr/signalr';

export async function announceMessage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  await requireMember(room, user);
  const stored = await findMessage(room, id);
  if (!stored) return notFound(`No message ${id} in ${room}`);
  if (stored.sender.id !== user.id) return forbidden('Only the author can announce a message');
  if (stored.deleted || Date.now() - Date.parse(stored.sentAt) > ANNOUNCE_WINDOW_MS) return { status: 204 };
  const rate = await takeSendToken(user.id);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const message = await presentOne(stored);
  const mentions = await mentionEvents(context, user, stored, message);
  context.extraOutputs.set(signalROut, [roomMessage(room, 'newMessage', message), ...mentions]);
  return { status: 202 };
}

app.http('announceMessage', {
  route: Routes.announce,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(announceMessage),
});

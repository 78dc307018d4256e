/**
 * messages: accepts `{ id, room, text }` from a member of the room, stores it (once per id) and
 * then broadcasts `newMessage` to the room. A repeated id returns the stored message and sends
 * nothing, so a client may retry freely.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { NewMessageRequestSchema, Routes } from '../contract';
import { checked, json, readJsonObject, requireJson, tooManyRequests } from './lib/http';
import { requireUser } from './lib/identity';
import { requireMember } from './lib/membership';
import { type ChatMessage, findMessage, saveMessage } from './lib/messages-store';
import { takeSendToken } from './lib/rate-limit';
import { roomMessage, signalROut } from './lib/signalr';
import { withErrors } from './lib/with-errors';

export async function postMessage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const { id, room, text } = checked(NewMessageRequestSchema, await readJsonObject(request));
  await requireMember(room, user);
  const rate = await takeSendToken(user.id);
  if (!rate.allowed) {
    // A retry of a message that is already stored is not a new send: answer it as accepted.
    const stored = await findMessage(room, id);
    return stored ? json(200, stored) : tooManyRequests(rate.retryAfterSeconds);
  }
  const message: ChatMessage = { id, room, text, sender: user, sentAt: new Date().toISOString() };
  const saved = await saveMessage(message);
  if (!saved.created) return json(200, saved.message);
  context.extraOutputs.set(signalROut, [roomMessage(room, 'newMessage', saved.message)]);
  return json(201, saved.message);
}

app.http('messages', {
  route: Routes.messages,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postMessage),
});

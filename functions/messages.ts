/**
 * messages: accepts `{ id, room, text }` from a member of the room, stores it (once per id) and
 * then broadcasts `newMessage` to the room. A repeated id returns the stored message and sends
 * nothing, so a client may retry freely.
 */
import { app } from '@azure/functions';
import { check, NewMessageRequestSchema, Routes } from '../contract';
import { authenticated } from './lib/handler';
import { badRequest, forbidden, json, notFound, readJsonObject, tooManyRequests } from './lib/http';
import { findMessage, saveMessage, type ChatMessage } from './lib/messages-store';
import { takeSendToken } from './lib/rate-limit';
import { isMember, roomExists } from './lib/rooms-store';
import { roomMessage, signalROut } from './lib/signalr';

export const postMessage = authenticated(async (request, context, user) => {
  const checked = check(NewMessageRequestSchema, await readJsonObject(request));
  if (!checked.ok) return badRequest(checked.message);
  const { id, room, text } = checked.value;
  if (!(await isMember(room, user.id))) {
    return (await roomExists(room)) ? forbidden(`You are not a member of ${room}`) : notFound(`No room ${room}`);
  }
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
});

app.http('messages', {
  route: Routes.messages,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: postMessage,
});

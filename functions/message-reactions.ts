/**
 * messageReactions: `POST /api/rooms/{room}/messages/{id}/reactions` `{ emoji, add }` — a member
 * adds or removes their reaction (one emoji). Repeating either changes nothing; a message carries
 * a bounded number of distinct emoji. The room receives `messageChanged`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { ClientIdSchema, ReactionRequestSchema, RoomNameSchema, Routes } from '../contract';
import { changeMessage } from './domain/messages/change-message';
import { decideReaction } from './domain/messages/message-changes';
import { requireMember } from './domain/rooms/require-member';
import { indexSoon } from './domain/search/search-index';
import { requireUser } from './platform/http/identity';
import { takeSendToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function messageReactions(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  const change = checked(ReactionRequestSchema, await readJsonObject(request));
  await requireMember(room, user);
  const rate = await takeSendToken(user.id);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const response = await changeMessage(context, room, id, (current) => decideReaction(current, user, change));
  // The search index catches up after the answer (docs/search.md).
  indexSoon(room, (line) => context.warn(line));
  return response;
}

app.http('messageReactions', {
  route: Routes.reactions,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(messageReactions),
});

/**
 * messageReactions: `POST /api/rooms/{room}/messages/{id}/reactions` `{ emoji, add }` — a member
 * adds or removes their reaction (one emoji). Repeating either changes nothing; a message carries
 * a bounded number of distinct emoji. The answer is the message as the caller sees it (`mine` set);
 * the room receives `reactionChanged`, a delta, never the whole message.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { ClientIdSchema, ReactionRequestSchema, RoomNameSchema, Routes } from '../contract';
import { presentOne } from './domain/messages/message-view';
import { reactionDecider } from './domain/messages/reactors';
import { updateMessage } from './domain/messages/room-log';
import { requireWritable } from './domain/rooms/require-member';
import { indexSoon } from './domain/search/search-index';
import { requireUser } from './platform/http/identity';
import { takeSendToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { errorResponse, json, notFound, tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { roomMessage, signalROut } from './platform/signalr/signalr';

export async function messageReactions(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  const change = checked(ReactionRequestSchema, await readJsonObject(request));
  await requireWritable(room, user);
  const rate = await takeSendToken(user.id);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const decider = reactionDecider(room, user, change);
  const result = await updateMessage(room, id, decider.decide);
  switch (result.kind) {
    case 'missing':
      return notFound(`No message ${id} in ${room}`);
    case 'refused':
      return errorResponse(
        result.reason.status,
        result.reason.status === 403 ? 'forbidden' : 'conflict',
        result.reason.message,
      );
    case 'unchanged':
      return json(200, await presentOne(result.message, decider.mine()));
    case 'changed': {
      // The search index catches up after the answer (docs/search.md).
      indexSoon(room, (line) => context.warn(line));
      const summary = result.message.reactions?.[change.emoji];
      context.extraOutputs.set(signalROut, [
        roomMessage(room, 'reactionChanged', {
          room,
          id,
          emoji: change.emoji,
          user: { id: user.id, name: user.name },
          add: change.add,
          count: summary?.count ?? 0,
          people: summary?.people ?? [],
          seq: result.message.seq,
          previousSeq: result.previous.seq,
        }),
      ]);
      return json(200, await presentOne(result.message, decider.mine()));
    }
  }
}

app.http('messageReactions', {
  route: Routes.reactions,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(messageReactions),
});

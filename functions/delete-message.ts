/**
 * deleteMessage: `DELETE /api/rooms/{room}/messages/{id}` — the author, or whoever moderates the room
 * (its owner and admins, workspace admins; in `general` the HUBBUB_MODERATORS and HUBBUB_ADMINS:
 * rooms-store.ts moderates), takes a message back. Allowed in an archived room (it only removes).
  Its text is removed from storage, not hidden; the room receives `messageChanged` with
 * `deleted: true`. Its attachments' blobs are deleted too.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { type Attachment, ClientIdSchema, GENERAL_ROOM, RoomNameSchema, Routes } from '../contract';
import { deleteAttachments } from './domain/attachments/attachments';
import { changeMessage } from './domain/messages/change-message';
import { decideDelete } from './domain/messages/message-changes';
import { requireMember } from './domain/rooms/require-member';
import { getRoom, moderates, roleIn } from './domain/rooms/rooms-store';
import { indexSoon } from './domain/search/search-index';
import { requireUser } from './platform/http/identity';
import { takeSendToken } from './platform/http/rate-limit';
import { checked, requireJson } from './platform/http/requests';
import { tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function deleteMessage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  const [membership, entity] = await Promise.all([
    requireMember(room, user),
    room === GENERAL_ROOM ? undefined : getRoom(room),
  ]);
  const rate = await takeSendToken(user.id);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  const mayModerate = moderates(room, entity, user.id, roleIn(entity, membership, user.id));
  let removed: readonly Attachment[] = [];
  const response = await changeMessage(context, room, id, (current) => {
    const decision = decideDelete(current, user, mayModerate);
    removed = 'state' in decision ? (current.attachments ?? []) : [];
    return decision;
  });
  // Best effort, after the message changed: a blob left behind is no longer readable (its message is deleted).
  if (removed.length > 0) await deleteAttachments(room, removed, (line) => context.warn(line));
  // The search index drops it after the answer (docs/search.md); until then a search checks every result against the log.
  indexSoon(room, (line) => context.warn(line));
  return response;
}

app.http('deleteMessage', {
  route: Routes.message,
  methods: ['DELETE'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(deleteMessage),
});

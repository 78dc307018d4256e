/**
 * attachment: `GET /api/rooms/{room}/attachments/{id}` — a member of the room gets a read URL of
 * one attachment, valid 5 minutes: a 302 to it (so `<img src>` and links work as they are), or with
 * `?format=json` the `{ url, expiresAt }`. Signed out 401, not a member 403, no bytes either way.
 * The URL serves the type stored at upload, inline only for images, video and audio (PNG/JPEG/GIF/WebP,
 * MP4/WebM/MP3/M4A/Ogg), else as a download.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { ClientIdSchema, RoomNameSchema, Routes } from '../contract';
import { readUrl } from './domain/attachments/attachments';
import { requireMember } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { checked } from './platform/http/requests';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getAttachment(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  await requireMember(room, user);
  const read = await readUrl(room, user, id);
  if (request.query.get('format') === 'json') return json(200, read);
  return {
    status: 302,
    headers: { location: read.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  };
}

app.http('attachment', {
  route: Routes.attachment,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getAttachment),
});

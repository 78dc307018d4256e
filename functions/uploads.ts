/**
 * uploads: `POST /api/rooms/{room}/uploads` `{ name, size, type }` — a member of the room gets a
 * write URL for one new file (10 minutes, create-only, that one blob) and its upload id, which a
 * message then names in `attachments`. Limits: size, type allow-list matching the name, a rate.
 *
 * uploadComplete: `POST /api/rooms/{room}/uploads/{id}/complete` `{}` — the uploader reports the
 * PUT done; the stored file is checked at once (size, type, first bytes) and deleted with a 409 if
 * it is not what was declared, else `200 { uploadId, name, size, type }`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { ClientIdSchema, RoomNameSchema, Routes, UPLOAD_RATE_LIMIT, UploadRequestSchema } from '../contract';
import { completeUpload, issueUpload } from './domain/attachments/attachments';
import { requireMember, requireWritable } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { takeToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { json, tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function postUpload(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const declared = checked(UploadRequestSchema, await readJsonObject(request));
  await requireWritable(room, user);
  const rate = await takeToken('upload', user.id, UPLOAD_RATE_LIMIT);
  if (!rate.allowed) return tooManyRequests(rate.retryAfterSeconds);
  return json(201, await issueUpload(room, user, declared, (line) => context.warn(line)));
}

export async function postUploadComplete(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const id = checked(ClientIdSchema, request.params['id']);
  await requireMember(room, user);
  return json(200, await completeUpload(room, user, id));
}

app.http('uploads', {
  route: Routes.uploads,
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: withErrors(postUpload),
});

app.http('uploadComplete', {
  route: Routes.uploadComplete,
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: withErrors(postUploadComplete),
});

/**
 * avatar: `POST /api/me/avatar` `{ size, type }` — a write URL for a new avatar (`201`
 * AvatarUpload); `DELETE` removes the caller's avatar and its blob (`200` the new card).
 * avatarComplete: `POST /api/me/avatar/{id}/complete` `{}` — once the PUT succeeded: the stored
 * picture is checked and becomes the avatar (`200` the new card); everyone gets one `profileChanged`.
 * userAvatar: `GET /api/users/{userId}/avatar?v=` — the picture's bytes, for any signed-in person.
 *
 * The bytes go through this function rather than a 302 to a read SAS: a SAS URL is new at each
 * signing, so the browser could never reuse a cached picture, whereas `/api/users/{id}/avatar?v=`
 * is one URL per version, cached for a year (`immutable`) and revalidated by ETag otherwise. A
 * picture is at most MAX_AVATAR_BYTES, so a miss costs one small blob read (docs/people.md).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import {
  AvatarUploadRequestSchema,
  ClientIdSchema,
  MAX_AVATAR_BYTES,
  PROFILE_RATE_LIMIT,
  Routes,
  UserIdSchema,
} from '../contract';
import { afterAvatarChange, avatarBytes, checkedAvatarUpload, issueAvatarUpload } from './domain/people/avatars';
import { findPerson } from './domain/people/people-store';
import { changeProfile } from './domain/profiles/profile-changes';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { errorResponse, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

/** A version's URL never shows another picture: the browser keeps it a year without asking. */
export const IMMUTABLE_CACHE = 'private, max-age=31536000, immutable';
/** Without the current version (none, or an old one) the answer may change: kept a minute. */
export const SHORT_CACHE = 'private, max-age=60';

export async function changeAvatar(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  if (request.method === 'DELETE') {
    await requireToken('profile', user.id, PROFILE_RATE_LIMIT);
    const { profile, message, before, after } = await changeProfile(user, (person) =>
      person.avatar ? { ...person, avatar: undefined } : undefined,
    );
    await afterAvatarChange(user.id, before, after);
    if (message) context.extraOutputs.set(signalROut, [message]);
    return json(200, profile);
  }
  const body = await readJsonObject(request);
  if (typeof body['size'] === 'number' && body['size'] > MAX_AVATAR_BYTES) {
    return errorResponse(
      413,
      'payload_too_large',
      `An avatar is at most ${MAX_AVATAR_BYTES / 1024} KB once resized: crop and resize it first`,
    );
  }
  const declared = checked(AvatarUploadRequestSchema, body);
  await requireToken('profile', user.id, PROFILE_RATE_LIMIT);
  return json(201, await issueAvatarUpload(user.id, declared));
}

export async function completeAvatar(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const id = checked(ClientIdSchema, request.params['id']);
  const current = await findPerson(user.id);
  const avatar = current?.avatar?.version === id ? current.avatar : await checkedAvatarUpload(user.id, id);
  const { profile, message, before, after } = await changeProfile(user, (person) =>
    person.avatar?.version === id ? undefined : { ...person, avatar },
  );
  await afterAvatarChange(user.id, before, after);
  if (message) context.extraOutputs.set(signalROut, [message]);
  return json(200, profile);
}

export async function getAvatar(request: HttpRequest): Promise<HttpResponseInit> {
  requireUser(request);
  const id = checked(UserIdSchema, request.params['userId']);
  const person = await findPerson(id);
  if (!person?.avatar) return notFound('No avatar: show their initials');
  const etag = `"${person.avatar.version}"`;
  const headers: Record<string, string> = {
    'cache-control': request.query.get('v') === person.avatar.version ? IMMUTABLE_CACHE : SHORT_CACHE,
    etag,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  };
  const asked = request.headers.get('if-none-match');
  if (asked?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return { status: 304, headers };
  const bytes = await avatarBytes(person.avatar);
  if (!bytes) return notFound('No avatar: show their initials');
  return { status: 200, body: bytes, headers: { ...headers, 'content-type': person.avatar.type } };
}

app.http('avatar', {
  route: Routes.avatar,
  methods: ['POST', 'DELETE'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(changeAvatar),
});

app.http('avatarComplete', {
  route: Routes.avatarComplete,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(completeAvatar),
});

app.http('userAvatar', {
  route: Routes.userAvatar,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getAvatar),
});

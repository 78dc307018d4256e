/**
 * profile: `GET /api/me/profile` — the caller's own card (with do not disturb); `PATCH` `{ name?,
 * about?, timeZone? }` changes it (a chosen name outlives later sign-ins; `''` clears about or time
 * zone), answers the new card and sends everyone one `profileChanged`.
 *
 * userProfile: `GET /api/users/{userId}/profile` — anyone's card, for any signed-in person; 404 for
 * someone Hubbub never saw. docs/people.md.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import {
  LIST_READ_RATE_LIMIT,
  PROFILE_RATE_LIMIT,
  ProfileUpdateRequestSchema,
  Routes,
  UserIdSchema,
} from '../contract';
import { findProfile } from './domain/people/cards';
import { changeProfile } from './domain/profiles/profile-changes';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function myProfile(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  if (request.method === 'GET') {
    await requireToken('list-profiles', user.id, LIST_READ_RATE_LIMIT);
    const own = await findProfile(user.id, true);
    if (own) return json(200, own);
    // Known to the platform but not yet to Hubbub (no negotiate yet): their card as a sign-in makes it.
    return json(200, { id: user.id, name: user.name, presence: 'offline' });
  }
  requireJson(request);
  const update = checked(ProfileUpdateRequestSchema, await readJsonObject(request));
  await requireToken('profile', user.id, PROFILE_RATE_LIMIT);
  const { profile, message } = await changeProfile(user, (person) => {
    const next = {
      ...person,
      ...(update.name !== undefined && { name: update.name, nameChosen: true }),
      ...(update.about !== undefined && { about: update.about || undefined }),
      ...(update.timeZone !== undefined && { timeZone: update.timeZone || undefined }),
    };
    const same =
      next.name === person.name &&
      next.nameChosen === person.nameChosen &&
      next.about === person.about &&
      next.timeZone === person.timeZone;
    return same ? undefined : next;
  });
  if (message) context.extraOutputs.set(signalROut, [message]);
  return json(200, profile);
}

export async function userProfile(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const id = checked(UserIdSchema, request.params['userId']);
  await requireToken('list-profiles', user.id, LIST_READ_RATE_LIMIT);
  const profile = await findProfile(id, id === user.id);
  return profile ? json(200, profile) : notFound('No such person');
}

app.http('profile', {
  route: Routes.profile,
  methods: ['GET', 'PATCH'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(myProfile),
});

app.http('userProfile', {
  route: Routes.userProfile,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(userProfile),
});

/**
 * status: `PUT /api/me/status` `{ emoji?, text?, expiresAt? }` sets the caller's status (a text of
 * at most MAX_STATUS_TEXT_LENGTH under the display-name rules, or an emoji, or both; `expiresAt` in
 * the future and at most MAX_STATUS_DURATION_MS away, absent: until cleared); `DELETE` clears it.
 * Both answer the caller's new card and send everyone one `profileChanged`. An expired status reads
 * as none everywhere, and clients drop it at `expiresAt` (docs/people.md, "Status").
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { MAX_STATUS_DURATION_MS, PROFILE_RATE_LIMIT, Routes, StatusRequestSchema, type UserStatus } from '../contract';
import { changeProfile } from './domain/profiles/profile-changes';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { badRequest, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';

export async function changeStatus(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  let status: UserStatus | undefined;
  if (request.method === 'PUT') {
    const asked = checked(StatusRequestSchema, await readJsonObject(request));
    let expiresAt: string | undefined;
    if (asked.expiresAt !== undefined) {
      const ends = Date.parse(asked.expiresAt);
      const now = Date.now();
      if (ends <= now) return badRequest('expiresAt must be in the future');
      if (ends - now > MAX_STATUS_DURATION_MS) {
        return badRequest(`a status lasts at most ${MAX_STATUS_DURATION_MS / (24 * 60 * 60_000)} days`);
      }
      expiresAt = new Date(ends).toISOString();
    }
    status = {
      text: asked.text ?? '',
      ...(asked.emoji !== undefined && { emoji: asked.emoji }),
      ...(expiresAt !== undefined && { expiresAt }),
    };
  }
  await requireToken('profile', user.id, PROFILE_RATE_LIMIT);
  const { profile, message } = await changeProfile(user, (person) =>
    JSON.stringify(person.status) === JSON.stringify(status) ? undefined : { ...person, status },
  );
  if (message) context.extraOutputs.set(signalROut, [message]);
  return json(200, profile);
}

app.http('status', {
  route: Routes.status,
  methods: ['PUT', 'DELETE'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(changeStatus),
});

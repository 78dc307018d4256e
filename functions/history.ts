/**
 * history: `GET /api/rooms/{room}/messages` — the newest page, `?before=<id>` for older pages and
 * `?after=<id>` for catching up after a reconnect. Members only.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { check, ClientIdSchema, RoomNameSchema, Routes } from '../contract';
import { badRequest, checked, json, notFound } from './lib/http';
import { requireUser } from './lib/identity';
import { requireMember } from './lib/membership';
import { DEFAULT_PAGE, MAX_PAGE, type PageQuery, readPage } from './lib/messages-store';
import { withErrors } from './lib/with-errors';

export async function getHistory(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const query = pageQuery(request.query);
  if (typeof query === 'string') return badRequest(query);
  await requireMember(room, user);
  const page = await readPage(room, query);
  if (!page) return notFound(`No message ${query.kind === 'latest' ? '' : query.id} in ${room}`);
  return json(200, page);
}

function pageQuery(params: URLSearchParams): PageQuery | string {
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? DEFAULT_PAGE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return `limit must be 1-${MAX_PAGE}`;
  const before = params.get('before');
  const after = params.get('after');
  if (before !== null && after !== null) return 'give before or after, not both';
  for (const [kind, value] of [
    ['before', before],
    ['after', after],
  ] as const) {
    if (value === null) continue;
    const id = check(ClientIdSchema, value);
    if (!id.ok) return `${kind} must be a message id`;
    return { kind, id: id.value, limit };
  }
  return { kind: 'latest', limit };
}

app.http('history', {
  route: Routes.history,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getHistory),
});

/**
 * history: `GET /api/rooms/{room}/messages` — the newest page, `?before=<id>` for older pages, and
 * `?since=<change number>` for catching up: every message created, edited, deleted or reacted to
 * after that change, once each, as it is now, in the order the changes were stored. Every page
 * carries the `cursor` it is complete up to. (`?after=<id>` is catch-up from that message's
 * creation.) `?around=<id>` is the page a message's address opens: the message with those just
 * before and after it. Members only.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import {
  check,
  ClientIdSchema,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type MessagePage,
  RoomNameSchema,
  Routes,
} from '../contract';
import { present } from './domain/messages/message-view';
import { firstSeqOf, latestSeq, readAround, readChanges, readHistory } from './domain/messages/room-log';
import { requireMember } from './domain/rooms/require-member';
import { requireUser } from './platform/http/identity';
import { checked } from './platform/http/requests';
import { badRequest, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

type PageQuery =
  | { readonly kind: 'latest'; readonly limit: number }
  | { readonly kind: 'before'; readonly id: string; readonly limit: number }
  | { readonly kind: 'after'; readonly id: string; readonly limit: number }
  | { readonly kind: 'around'; readonly id: string; readonly limit: number }
  | { readonly kind: 'since'; readonly seq: number; readonly limit: number };

export async function getHistory(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const room = checked(RoomNameSchema, request.params['room']);
  const query = pageQuery(request.query);
  if (typeof query === 'string') return badRequest(query);
  await requireMember(room, user);
  const page = await readPage(room, query, user.id);
  if (!page) return notFound(`No message ${'id' in query ? query.id : ''} in ${room}`);
  return json(200, page);
}

async function readPage(room: string, query: PageQuery, viewerId: string): Promise<MessagePage | undefined> {
  if (query.kind === 'latest' || query.kind === 'before') {
    // Read the counter first: every change up to it is committed, so the page reflects them all.
    const cursor = await latestSeq(room);
    const page = await readHistory(room, query.limit, query.kind === 'before' ? query.id : undefined);
    return page && { messages: await present(room, page.messages, viewerId), hasMore: page.hasMore, cursor };
  }
  if (query.kind === 'around') {
    // Half the page before the message, the rest after it (as change numbers: see readAround).
    const older = Math.ceil((query.limit - 1) / 2);
    const page = await readAround(room, query.id, older, query.limit - 1 - older);
    return (
      page && { messages: await present(room, page.messages, viewerId), hasMore: page.hasMore, cursor: page.cursor }
    );
  }
  const since = query.kind === 'since' ? query.seq : await firstSeqOf(room, query.id);
  if (since === undefined) return undefined;
  // Read the counter first: every change up to it is committed, so reading to the end covers it.
  const latest = await latestSeq(room);
  const page = await readChanges(room, since, query.limit);
  const last = page.messages.at(-1)?.seq ?? since;
  const cursor = page.hasMore ? last : Math.max(last, latest, since);
  return { messages: await present(room, page.messages, viewerId), hasMore: page.hasMore, cursor };
}

function pageQuery(params: URLSearchParams): PageQuery | string {
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? DEFAULT_PAGE_SIZE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return `limit must be 1-${MAX_PAGE_SIZE}`;
  const given = (['before', 'after', 'since', 'around'] as const).filter((name) => params.get(name) !== null);
  if (given.length > 1) return `give one of before, after, since and around, not ${given.join(' and ')}`;
  const kind = given[0];
  if (kind === undefined) return { kind: 'latest', limit };
  const value = params.get(kind)!;
  if (kind === 'since') {
    const seq = Number(value);
    return /^\d{1,15}$/.test(value) && Number.isSafeInteger(seq)
      ? { kind, seq, limit }
      : 'since must be a change number';
  }
  const id = check(ClientIdSchema, value);
  return id.ok ? { kind, id: id.value, limit } : `${kind} must be a message id`;
}

app.http('history', {
  route: Routes.history,
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withErrors(getHistory),
});

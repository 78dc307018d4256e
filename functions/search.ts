/**
 * search: `GET /api/search?q=&cursor=&limit=` — the messages the caller may see now (rooms and DMs
 * they are a member of, `general` included) that match `q`, newest first, in their current state,
 * with the parts of their text that matched. How `q` is read, what a search costs and how the
 * index behind it is kept: docs/search.md.
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { GENERAL_ROOM, LIST_READ_RATE_LIMIT, Routes, type SearchPage, SearchQuerySchema } from '../contract';
import { toWire } from './domain/messages/room-log';
import { roomsOf } from './domain/rooms/memberships-store';
import { parseQuery, QueryError } from './domain/search/query';
import { queryHash, type SearchCursor, searchRooms } from './domain/search/search-rooms';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { checked } from './platform/http/requests';
import { badRequest, HttpError, json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function search(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const given: Record<string, string> = {};
  for (const name of ['q', 'cursor', 'limit']) {
    const value = request.query.get(name);
    if (value !== null && (value !== '' || name === 'q')) given[name] = value;
  }
  const input = checked(SearchQuerySchema, given);
  const query = parsed(input.q);
  const cursor = input.cursor === undefined ? undefined : readCursor(input.cursor, input.q);
  // Membership now, on every page (a room left since the first page is no longer read), read
  // beside the limit's token.
  const [, joined] = await Promise.all([requireToken('list-search', user.id, LIST_READ_RATE_LIMIT), roomsOf(user.id)]);
  const memberOf = [GENERAL_ROOM, ...joined];
  const named = query.rooms.length > 0 ? memberOf.filter((room) => query.rooms.includes(room)) : memberOf;
  const rooms = new Map<string, string | undefined>(
    cursor
      ? named.filter((room) => room in cursor.p).map((room) => [room, cursor.p[room] || undefined])
      : named.map((room) => [room, undefined]),
  );
  const outcome = await searchRooms(input.q, query, rooms, input.limit);
  const body: SearchPage = {
    results: outcome.results.map((found) => ({ message: toWire(found.message), highlights: found.highlights })),
    ...(outcome.cursor && { cursor: Buffer.from(JSON.stringify(outcome.cursor)).toString('base64url') }),
  };
  return json(200, body);
}

function parsed(q: string) {
  try {
    return parseQuery(q);
  } catch (err) {
    if (err instanceof QueryError) throw new HttpError(badRequest(err.message));
    throw err;
  }
}

const POSITION = /^\d{15}$/;

function readCursor(cursor: string, q: string): SearchCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const shaped = value as Partial<SearchCursor> | undefined;
  if (
    typeof shaped !== 'object' ||
    shaped === null ||
    typeof shaped.h !== 'string' ||
    typeof shaped.p !== 'object' ||
    shaped.p === null ||
    !Object.values(shaped.p).every(
      (position) => position === '' || (typeof position === 'string' && POSITION.test(position)),
    )
  ) {
    throw new HttpError(badRequest('cursor is not one this server gave'));
  }
  if (shaped.h !== queryHash(q)) throw new HttpError(badRequest('cursor belongs to another search: send the same q'));
  return shaped as SearchCursor;
}

app.http('search', { route: Routes.search, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(search) });

/**
 * Runs a parsed query over the rooms a person is in (docs/search.md, "A query"): in each room, in
 * parallel, one key's rows newest first (the key most likely to be rare), each candidate checked
 * against the message as the log holds it now; the rooms' results merged newest first into a page.
 *
 * What one room costs per page is bounded whatever its history: at most {@link SCAN_BUDGET} index
 * rows read (pages of {@link SCAN_PAGE}) and {@link CHECK_BUDGET} messages checked. A room that
 * spends its budget before it found enough stops there, and the page's cursor goes on from there:
 * a page may hold fewer results than asked for, even none, and still have a cursor.
 */
import { createHash } from 'node:crypto';

import type { TextRange } from '../../../contract';
import { odata, storage, table } from '../../platform/storage/tables';
import { findMessageAt, type StoredMessage } from '../messages/room-log';
import { matchMessage } from './match';
import type { ParsedQuery } from './query';
import {
  ALL_KEY,
  ensureIndexed,
  fromKey,
  hasKey,
  inverted,
  keyEnd,
  keyOfTerm,
  keyStart,
  MIN_PREFIX,
  type PostingEntity,
} from './search-index';

export const SCAN_PAGE = 100;
export const SCAN_BUDGET = 1000;
export const CHECK_BUDGET = 60;
/** Messages checked at once in one room. */
const CHECK_PARALLEL = 10;

export interface Found {
  readonly message: StoredMessage;
  readonly highlights: TextRange[];
  /** When it was sent (ms), the merge order; then room and position. */
  readonly time: number;
  /** Its position in the room's key: the inverted first change number. */
  readonly position: string;
}

interface RoomOutcome {
  readonly room: string;
  readonly found: Found[];
  /** Nothing further in this room. */
  readonly exhausted: boolean;
  /** The last position read (the room goes on after it), and when that row's message was sent. */
  readonly readTo?: string;
  readonly frontier: number;
}

/** The key a query's candidates are read from: the one likely to have the fewest rows. */
export function driverKey(query: ParsedQuery): string {
  if (query.fromIds.length === 1) return fromKey(query.fromIds[0]);
  let best: { key: string; score: number } = { key: ALL_KEY, score: 0 };
  for (const group of query.groups) {
    group.terms.forEach((term, index) => {
      const length = [...term].length;
      const prefixOnly = group.prefix && index === group.terms.length - 1;
      // A short last word is indexed only whole: as a prefix it cannot lead.
      if (prefixOnly && length < MIN_PREFIX) return;
      const score = Math.min(length, 16) + (prefixOnly ? 0 : 0.5);
      if (score > best.score) best = { key: keyOfTerm(term), score };
    });
  }
  if (query.has.length > 0 && best.score < 3.5) {
    best = { key: hasKey(query.has.includes('image') ? 'image' : query.has[0]), score: 3.5 };
  }
  return best.key;
}

export interface SearchCursor {
  /** Of the query it belongs to. */
  readonly h: string;
  /** Each room still to read and the position to go on after ('' from the newest). */
  readonly p: Record<string, string>;
}

export const queryHash = (q: string) => createHash('sha256').update(q).digest('base64url').slice(0, 12);

export interface SearchOutcome {
  readonly results: Found[];
  readonly cursor?: SearchCursor;
}

/** One page: `rooms` each with where to start (undefined: from the newest). */
export async function searchRooms(
  q: string,
  query: ParsedQuery,
  rooms: ReadonlyMap<string, string | undefined>,
  limit: number,
): Promise<SearchOutcome> {
  const key = driverKey(query);
  const outcomes = await Promise.all([...rooms].map(([room, after]) => searchRoom(room, key, query, after, limit)));
  // Rooms that stopped early may still hold messages newer than another room's results: only
  // results at least as new as every such room's frontier are in order now.
  const bound = Math.max(-Infinity, ...outcomes.filter((o) => !o.exhausted).map((o) => o.frontier));
  const eligible = outcomes
    .flatMap((o) => o.found)
    .filter((found) => found.time >= bound)
    .sort(
      (a, b) => b.time - a.time || a.message.room.localeCompare(b.message.room) || a.position.localeCompare(b.position),
    );
  const page = eligible.slice(0, limit);
  const taken = new Set(page);
  const next: Record<string, string> = {};
  for (const outcome of outcomes) {
    const mine = outcome.found.filter((found) => taken.has(found));
    const left = outcome.found.length - mine.length;
    if (left > 0) {
      // Go on after the last result given; the ones left are read again.
      next[outcome.room] = mine.at(-1)?.position ?? rooms.get(outcome.room) ?? '';
    } else if (!outcome.exhausted) {
      next[outcome.room] = outcome.readTo ?? rooms.get(outcome.room) ?? '';
    }
  }
  return {
    results: page,
    ...(Object.keys(next).length > 0 && { cursor: { h: queryHash(q), p: next } }),
  };
}

async function searchRoom(
  room: string,
  key: string,
  query: ParsedQuery,
  after: string | undefined,
  limit: number,
): Promise<RoomOutcome> {
  await ensureIndexed(room);
  const client = await table('search');
  const from = after ? `RowKey gt '${odata(keyStart(key) + after)}'` : `RowKey ge '${odata(keyStart(key))}'`;
  const filter = `PartitionKey eq '${odata(room)}' and ${from} and RowKey lt '${odata(keyEnd(key))}'`;
  const found: Found[] = [];
  let read = 0;
  let checked = 0;
  let readTo: string | undefined;
  let frontier = Infinity;
  return storage(async () => {
    const pages = client
      .listEntities<PostingEntity>({ queryOptions: { filter, select: ['RowKey', 'i', 'q', 't'] } })
      .byPage({ maxPageSize: SCAN_PAGE });
    for await (const page of pages) {
      // Rows the dates rule out need no check.
      const rows = page.filter(
        (row) =>
          (query.sentFrom === undefined || row.t >= query.sentFrom) &&
          (query.sentTo === undefined || row.t < query.sentTo),
      );
      let stop = false;
      let next = 0;
      // Check candidates in order, a few at a time, until enough are found or the budget is spent.
      while (next < rows.length && !stop) {
        const batch = rows.slice(next, next + Math.min(CHECK_PARALLEL, CHECK_BUDGET - checked));
        if (batch.length === 0) {
          stop = true;
          break;
        }
        next += batch.length;
        checked += batch.length;
        const messages = await Promise.all(batch.map((row) => findMessageAt(room, row.i, row.q)));
        batch.forEach((row, index) => {
          if (stop) return;
          const position = row.rowKey.slice(-15);
          readTo = position;
          frontier = row.t;
          const message = messages[index];
          const highlights = message && matchMessage(message, query);
          if (message && highlights) {
            found.push({ message, highlights, time: Date.parse(message.sentAt), position });
            if (found.length >= limit) stop = true;
          }
        });
      }
      read += page.length;
      const last = page.at(-1);
      if (!stop && last) {
        // Every row of the page was looked at or ruled out by the dates: the room goes on after it.
        readTo = last.rowKey.slice(-15);
        frontier = last.t;
      }
      if (stop || read >= SCAN_BUDGET || checked >= CHECK_BUDGET) {
        return { room, found, exhausted: false, readTo, frontier };
      }
    }
    return { room, found, exhausted: true, readTo, frontier };
  });
}

/** The position a message has in every key: for cursors built outside a search (tests). */
export const positionOf = (first: number) => inverted(first);

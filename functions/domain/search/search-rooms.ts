/**
 * Runs a parsed query over the rooms a person is in (docs/search.md, "A query"): in each room, one
 * key's rows newest first (the key most likely to be rare), read a page at a time; candidates are
 * checked against the message as the log holds it now, newest first across all rooms.
 *
 * What one page costs is bounded whatever the history: per room at most {@link SCAN_BUDGET} index
 * rows read (pages of {@link SCAN_PAGE}); in all at most {@link CHECK_BUDGET} messages checked
 * (as many at a time as the rate they matched at so far says are needed, at most
 * {@link CHECK_PARALLEL}). A search that spends a budget before it found enough stops
 * there, and the page's cursor goes on from there: a page may hold fewer results than asked for,
 * even none, and still have a cursor.
 */
import { createHash } from 'node:crypto';

import type { TableClient } from '@azure/data-tables';

import type { TextRange } from '../../../contract';
import { odata, storage } from '../../platform/storage/tables';
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
  keyProbes,
  keyStart,
  mayHaveAll,
  MIN_PREFIX,
  type PostingEntity,
  searchTable,
} from './search-index';

export const SCAN_PAGE = 100;
export const SCAN_BUDGET = 1000;
export const CHECK_BUDGET = 120;
/** Most messages checked at once (one round of point reads). */
const CHECK_PARALLEL = 60;

export interface Found {
  readonly message: StoredMessage;
  readonly highlights: TextRange[];
  /** When it was sent (ms), the merge order; then room and position. */
  readonly time: number;
  /** Its position in the room's key: the inverted first change number. */
  readonly position: string;
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

/**
 * The keys every match must have, as filter probes: each word's key (not a last word shorter than
 * {@link MIN_PREFIX} read as a prefix: those are indexed whole only), the one `from:` id's, and each
 * `has:`. Words of exclusions and `from:` names rule nothing out here; the check against the log does.
 */
export function requiredProbes(query: ParsedQuery): number[][] {
  const keys = new Set<string>();
  for (const group of query.groups) {
    group.terms.forEach((term, index) => {
      const prefixOnly = group.prefix && index === group.terms.length - 1;
      if (!(prefixOnly && [...term].length < MIN_PREFIX)) keys.add(keyOfTerm(term));
    });
  }
  if (query.fromIds.length === 1) keys.add(fromKey(query.fromIds[0]));
  for (const kind of query.has) keys.add(hasKey(kind));
  return [...keys].map(keyProbes);
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

/**
 * One page: `rooms` each with where to start (undefined: from the newest). Every room's first page
 * of candidates is read at once; candidates are then checked in the order they were sent across
 * all rooms, newest first, a few at a time, until `limit` matched: so a query checks about as many
 * messages as it answers, however many rooms it reads.
 */
export async function searchRooms(
  q: string,
  query: ParsedQuery,
  rooms: ReadonlyMap<string, string | undefined>,
  limit: number,
): Promise<SearchOutcome> {
  const key = driverKey(query);
  const required = requiredProbes(query);
  const states = await Promise.all(
    [...rooms].map(async ([room, after]) => {
      // The first page is read while the index's freshness is checked; read again unless this
      // instance knew the index was complete before that read began.
      const client = await searchTable(room);
      const first = openRoom(client, room, key, query, required, after);
      const [complete] = await Promise.all([ensureIndexed(room), fill(first)]);
      if (complete) return first;
      const state = openRoom(client, room, key, query, required, after);
      await fill(state);
      return state;
    }),
  );
  const found: Found[] = [];
  let checked = 0;
  for (;;) {
    if (found.length >= limit || checked >= CHECK_BUDGET) break;
    // Every room needs its next candidate known before the newest across rooms is: read on where a
    // room's page ran out; a room that spent its read budget ends the page here.
    const empty = states.filter((state) => state.queue.length === 0 && !state.done);
    if (empty.some((state) => state.read >= SCAN_BUDGET)) break;
    await Promise.all(empty.map(fill));
    const batch: { state: RoomState; row: PostingEntity }[] = [];
    // As many as are still wanted at the rate candidates have matched so far (all, at first; a few
    // more when later words may rule some out), never past the budget: a query whose later words
    // rule most candidates out checks them in a few large rounds, not many small ones.
    const rate = checked === 0 ? 1 : Math.max(found.length, 1) / checked;
    const wanted = Math.max(
      Math.ceil((limit - found.length) / rate),
      query.groups.length + query.excluded.length > 1 ? 5 : 1,
    );
    while (batch.length < Math.min(CHECK_PARALLEL, CHECK_BUDGET - checked, wanted)) {
      const state = newest(states);
      if (!state) break;
      batch.push({ state, row: state.queue.shift()! });
      if (state.queue.length === 0 && !state.done) break;
    }
    if (batch.length === 0) break;
    checked += batch.length;
    const messages = await Promise.all(batch.map(({ state, row }) => findMessageAt(state.room, row.i, row.q)));
    for (let index = 0; index < batch.length; index++) {
      const { state, row } = batch[index];
      if (found.length >= limit) {
        // Checked but not needed: left for the next page, in order.
        for (let back = batch.length - 1; back >= index; back--) batch[back].state.queue.unshift(batch[back].row);
        break;
      }
      const position = row.rowKey.slice(-15);
      state.last = position;
      const message = messages[index];
      const highlights = message && matchMessage(message, query);
      if (message && highlights) found.push({ message, highlights, time: row.t, position });
    }
  }
  const next: Record<string, string> = {};
  for (const state of states) {
    if (state.queue.length > 0 || !state.done) next[state.room] = state.last ?? state.after ?? '';
  }
  return {
    results: found,
    ...(Object.keys(next).length > 0 && { cursor: { h: queryHash(q), p: next } }),
  };
}

interface RoomState {
  readonly room: string;
  readonly after: string | undefined;
  readonly pages: AsyncIterator<PostingEntity[]>;
  /** Candidates read and not yet checked, newest first. */
  queue: PostingEntity[];
  /** No more rows. */
  done: boolean;
  /** Rows read (the dates may rule some out before they queue). */
  read: number;
  /** The position of the last candidate checked. */
  last?: string;
  readonly query: ParsedQuery;
  /** Probes of the keys every match has (requiredProbes). */
  readonly required: readonly (readonly number[])[];
}

function openRoom(
  client: TableClient,
  room: string,
  key: string,
  query: ParsedQuery,
  required: readonly (readonly number[])[],
  after: string | undefined,
): RoomState {
  const from = after ? `RowKey gt '${odata(keyStart(key) + after)}'` : `RowKey ge '${odata(keyStart(key))}'`;
  const filter = `PartitionKey eq '${odata(room)}' and ${from} and RowKey lt '${odata(keyEnd(key))}'`;
  const pages = client
    .listEntities<PostingEntity>({ queryOptions: { filter, select: ['RowKey', 'i', 'q', 't', 'b'] } })
    .byPage({ maxPageSize: SCAN_PAGE })
    [Symbol.asyncIterator]();
  return { room, after, pages, queue: [], done: false, read: 0, query, required };
}

/**
 * Reads the room's next page of candidates (rows the dates or the key filter rule out are passed
 * over, their positions too).
 */
async function fill(state: RoomState): Promise<void> {
  const { query, required } = state;
  while (state.queue.length === 0 && !state.done && state.read < SCAN_BUDGET) {
    const page = await storage(() => state.pages.next());
    if (page.done) {
      state.done = true;
      return;
    }
    state.read += page.value.length;
    for (const row of page.value) {
      const inDates =
        (query.sentFrom === undefined || row.t >= query.sentFrom) &&
        (query.sentTo === undefined || row.t < query.sentTo);
      if (inDates && mayHaveAll(row.b, required)) state.queue.push(row);
      else if (state.queue.length === 0) state.last = row.rowKey.slice(-15);
    }
    if (page.value.length === 0) continue;
  }
}

/** The room whose next candidate was sent last (ties: room name, then position). */
function newest(states: readonly RoomState[]): RoomState | undefined {
  let best: RoomState | undefined;
  for (const state of states) {
    const head = state.queue[0];
    if (!head) continue;
    const top = best?.queue[0];
    if (!best || !top || head.t > top.t || (head.t === top.t && state.room < best.room)) best = state;
  }
  return best;
}

/** The position a message has in every key: for cursors built outside a search (tests). */
export const positionOf = (first: number) => inverted(first);

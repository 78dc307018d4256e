/**
 * The search index: a projection of each room's log (room-log.ts) into the `search` table, one
 * partition per room, caught up by change number (docs/search.md, "The index").
 *
 * Rows of a room:
 * - `~at`: the change number the index has applied every change up to.
 * - `d_<message id>`: the keys a message is indexed under, and the change it was indexed at.
 * - `p_<key>_<inverted first change number>`: one per key of a message, newest first in each key,
 *   with the message's id, the change it was indexed at (`q`) and when it was sent (`t`, ms).
 *
 * A message's keys ({@link keysOf}): every word's prefixes of {@link MIN_PREFIX} to
 * {@link MAX_PREFIX} characters (a word shorter than {@link MIN_PREFIX}: the word), the same of its
 * attachments' file names, one key per character of scripts written without spaces, and the
 * operator keys `~all`, `~from~<sender>`, `~file`, `~image`, `~link`. At most
 * {@link MAX_KEYS_PER_MESSAGE} keys; a key only finds candidates, every result is checked against
 * the message as the log holds it now (match.ts).
 *
 * After a change is stored, {@link indexSoon} catches the room up in the background (the change's
 * answer does not wait for it); a search first catches up every room it reads that is behind
 * ({@link ensureIndexed}). A failed or lost index write therefore leaves a gap that the room's next
 * change, or the next search of it, closes from the log.
 */
import { createHash } from 'node:crypto';

import type { TableClient, TransactionAction } from '@azure/data-tables';

import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import type { StoredMessage } from '../messages/room-log';
import { latestSeq, readChanges } from '../messages/room-log';
import { hasOf } from './match';
import { tokenize } from './tokens';

export const MIN_PREFIX = 3;
export const MAX_PREFIX = 16;
export const MAX_KEYS_PER_MESSAGE = 300;
/** Changes one catch-up pass reads from the log at a time. */
const CHANGE_PAGE = 200;
/** How long a search waits for a room's index to catch up before it reads what is there. */
const ENSURE_WAIT_MS = 2000;
/** Messages indexed at once within a pass. */
const PARALLEL = 8;
/** Table Storage's most operations in one transaction. */
const BATCH = 100;

const AT = '~at';
const DOC = 'd_';
const POSTING = 'p_';
const DIGITS = 15;
const MAX_SEQ = 10 ** DIGITS - 1;

export const ALL_KEY = '~all';
export const hasKey = (kind: string) => `~${kind}`;
export const fromKey = (userId: string) => `~from~${createHash('sha256').update(userId).digest('hex').slice(0, 24)}`;

type AtEntity = { partitionKey: string; rowKey: string; seq: number };
type DocEntity = { partitionKey: string; rowKey: string; first: number; seq: number; keys: string };
/** `b`: the message's key filter ({@link keyFilterOf}); absent in rows written before it was kept. */
export type PostingEntity = { partitionKey: string; rowKey: string; i: string; q: number; t: number; b?: string };

/** The position of a message in each of its keys: newest first. */
export const inverted = (first: number) => String(MAX_SEQ - first).padStart(DIGITS, '0');
/** Where a key's rows begin; they end before {@link keyEnd}. */
export const keyStart = (key: string) => `${POSTING}${encodeURIComponent(key)}_`;
export const keyEnd = (key: string) => `${POSTING}${encodeURIComponent(key)}\``;

/** The index key a query term is looked up under: the term, or its first {@link MAX_PREFIX} characters. */
export function keyOfTerm(term: string): string {
  return [...term].slice(0, MAX_PREFIX).join('');
}

/** The keys a message is found under (none once deleted), at most {@link MAX_KEYS_PER_MESSAGE}. */
export function keysOf(message: StoredMessage): string[] {
  if (message.deleted) return [];
  const keys = new Set<string>([ALL_KEY, fromKey(message.sender.id), ...hasOf(message).map(hasKey)]);
  const words = [...tokenize(message.text), ...(message.attachments ?? []).flatMap((file) => tokenize(file.name))];
  for (const { term } of words) {
    const chars = [...term];
    if (chars.length < MIN_PREFIX) keys.add(term);
    for (let n = MIN_PREFIX; n <= Math.min(chars.length, MAX_PREFIX); n++) keys.add(chars.slice(0, n).join(''));
    if (keys.size >= MAX_KEYS_PER_MESSAGE) break;
  }
  return [...keys].slice(0, MAX_KEYS_PER_MESSAGE);
}

// ---- the key filter ----

/**
 * Each posting row carries a Bloom filter of all its message's keys (256 bits, 3 probes, base64url:
 * 43 characters), so a query's other words, `from:` and `has:` rule candidates out as their rows
 * are read, and only the likely matches are read from the log to check. Wrong the other way it
 * never is: a message without a key always fails it; one in about 60 of 20 keys passes it anyway,
 * and the check against the log (match.ts) decides. No library: a Bloom filter of fixed size over
 * a hash we already compute is a few lines, and the row format is ours to keep stable.
 */
const FILTER_BYTES = 32;
const PROBES = 3;

/** The filter's bit positions of a key. */
export function keyProbes(key: string): number[] {
  const digest = createHash('sha256').update(key).digest();
  return Array.from({ length: PROBES }, (_, i) => digest.readUInt16BE(i * 2) % (FILTER_BYTES * 8));
}

export function keyFilterOf(keys: readonly string[]): string {
  const bits = Buffer.alloc(FILTER_BYTES);
  for (const key of keys) for (const bit of keyProbes(key)) bits[bit >> 3] |= 1 << (bit & 7);
  return bits.toString('base64url');
}

/** Whether a row's message may have every key of `required` (each as its {@link keyProbes}); a row without a filter may. */
export function mayHaveAll(filter: string | undefined, required: readonly (readonly number[])[]): boolean {
  if (filter === undefined || required.length === 0) return true;
  const bits = Buffer.from(filter, 'base64url');
  if (bits.length !== FILTER_BYTES) return true;
  return required.every((probes) => probes.every((bit) => (bits[bit >> 3] & (1 << (bit & 7))) !== 0));
}

/**
 * The table holding a room's index: one of 256, by a hash of the room's name. In Azure any table
 * would do (a partition is the unit of scale); Azurite scans a whole table for every range query,
 * so spreading rooms keeps a search's cost there near what it is in Azure.
 */
export function searchTable(room: string): Promise<TableClient> {
  const bucket = createHash('sha256').update(room).digest('hex').slice(0, 2);
  return table(`search${bucket}`);
}

// ---- keeping it up to date ----

/** The change number each room's index is known (by this instance) to have applied up to. */
const indexed = new Map<string, number>();
const KNOWN_ROOMS = 10_000;

function remember(room: string, seq: number): void {
  if ((indexed.get(room) ?? -1) >= seq) return;
  indexed.delete(room);
  indexed.set(room, seq);
  if (indexed.size > KNOWN_ROOMS) indexed.delete(indexed.keys().next().value as string);
}

/**
 * How long a room's freshness check holds: a search within this time of one that found the room's
 * index complete reads no counter for it (docs/search.md, "Gaps close themselves").
 */
export const FRESHNESS_WINDOW_MS = 1000;
let freshFor = FRESHNESS_WINDOW_MS;
/** When this instance last found each room's index complete (the start of that check, ms). */
const checkedAt = new Map<string, number>();
/** When this instance last stored a change of each room (a check begun before it holds no longer). */
const changedAt = new Map<string, number>();

function stamp(map: Map<string, number>, room: string, at: number): void {
  map.delete(room);
  map.set(room, at);
  if (map.size > KNOWN_ROOMS) map.delete(map.keys().next().value as string);
}

/** Sets how long a freshness check holds (tests: 0 checks on every search). */
export function setFreshnessWindow(ms: number): void {
  freshFor = ms;
}

/** Catch-ups running (or waiting for their turn) in this instance: what {@link searchIndexIdle} waits for. */
const pending = new Set<Promise<unknown>>();
/** One catch-up per room at a time in this instance, and at most one more waiting to follow it. */
const flights = new Map<string, { running: Promise<void>; queued?: Promise<void> }>();

export type Warn = (line: string) => void;

/**
 * After a change of `room` was stored: the room's index catches up in the background, after the
 * change's answer (the answer never waits for the index, and an index failure never fails the
 * change; it leaves a gap that the next change or search closes).
 */
export function indexSoon(room: string, warn: Warn = () => undefined): void {
  stamp(changedAt, room, Date.now());
  const work = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => catchUp(room))
    .catch((err: unknown) => warn(`search index of ${room} is behind: ${(err as Error).message}`));
  pending.add(work);
  void work.finally(() => pending.delete(work));
}

/** Resolves once no catch-up runs in this instance (tests; a host shutting down). */
export async function searchIndexIdle(): Promise<void> {
  while (pending.size > 0 || flights.size > 0) {
    await Promise.allSettled([...pending, ...[...flights.values()].flatMap((f) => [f.running, f.queued])]);
  }
}

/**
 * Brings the room's index up to its latest change before it is searched. True when this instance
 * already knew, before this call, that the index held every change up to the room's latest: then
 * a read of the index started after this call began saw all of it. False when it had to read the
 * index's `~at` row or catch up (a read started meanwhile may have missed something).
 * Costs one read of the room's counter when this instance indexed it last, else also `~at`; nothing
 * when this instance found the index complete less than {@link freshFor} ms ago and stored no
 * change of the room since (a change stored by another instance is indexed by that instance at
 * once; the check closes a gap its failure left at most that much later).
 */
export async function ensureIndexed(room: string): Promise<boolean> {
  const known = indexed.get(room);
  const started = Date.now();
  const checked = checkedAt.get(room);
  if (
    known !== undefined &&
    checked !== undefined &&
    started - checked < freshFor &&
    checked > (changedAt.get(room) ?? -Infinity)
  ) {
    return true;
  }
  const [latest, at] = await Promise.all([
    latestSeq(room),
    known === undefined ? readAt(room).then((row) => row.seq) : Promise.resolve(known),
  ]);
  if (at >= latest) {
    remember(room, at);
    stamp(checkedAt, room, started);
    return known !== undefined;
  }
  if (known !== undefined) {
    const stored = (await readAt(room)).seq;
    remember(room, stored);
    if (stored >= latest) return false;
  }
  // A long gap (a room indexed for the first time) is not waited for past a moment: the search
  // reads what is indexed so far, and the catch-up goes on.
  const caughtUp = catchUp(room);
  pending.add(caughtUp);
  void caughtUp.then(
    () => pending.delete(caughtUp),
    () => pending.delete(caughtUp),
  );
  await Promise.race([caughtUp, new Promise((resolve) => setTimeout(resolve, ENSURE_WAIT_MS).unref())]);
  return false;
}

/** Applies every change of the room's log after the index's `~at`, in order; concurrent calls share one pass. */
export function catchUp(room: string): Promise<void> {
  const flight = flights.get(room);
  if (flight) {
    flight.queued ??= flight.running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        flights.delete(room);
        return catchUp(room);
      });
    return flight.queued;
  }
  const running: Promise<void> = catchUpNow(room).finally(() => {
    const current = flights.get(room);
    if (current?.running === running && !current.queued) flights.delete(room);
  });
  flights.set(room, { running });
  return running;
}

async function catchUpNow(room: string): Promise<void> {
  const client = await searchTable(room);
  let at = await readAt(room);
  for (;;) {
    const page = await readChanges(room, at.seq, CHANGE_PAGE);
    if (page.messages.length === 0) {
      remember(room, at.seq);
      return;
    }
    await inParallel(page.messages, (message) => applyMessage(client, message));
    const seq = Math.max(...page.messages.map((message) => message.seq));
    at = await writeAt(client, room, at, seq);
    remember(room, at.seq);
    if (!page.hasMore) return;
  }
}

async function readAt(room: string): Promise<{ seq: number; etag?: string }> {
  const client = await searchTable(room);
  try {
    const row = await storage(() => client.getEntity<AtEntity>(room, AT));
    return { seq: row.seq, etag: row.etag };
  } catch (err) {
    if (isNotFound(err)) return { seq: 0 };
    throw err;
  }
}

/** Moves `~at` forward to `seq` (never back: another instance may have gone further). */
async function writeAt(
  client: TableClient,
  room: string,
  at: { seq: number; etag?: string },
  seq: number,
): Promise<{ seq: number; etag?: string }> {
  let current = at;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (current.seq >= seq) return current;
    const entity: AtEntity = { partitionKey: room, rowKey: AT, seq };
    try {
      const response = await storage(() =>
        current.etag === undefined
          ? client.createEntity(entity)
          : client.updateEntity(entity, 'Replace', { etag: current.etag }),
      );
      return { seq, etag: response.etag };
    } catch (err) {
      if (!isConflict(err) && !isPreconditionFailed(err)) throw err;
      current = await readAt(room);
    }
  }
  return current;
}

/** Makes the message's rows say what it is now: its new keys added, its old ones removed (all once deleted). */
async function applyMessage(client: TableClient, message: StoredMessage): Promise<void> {
  const room = message.room;
  for (let attempt = 0; attempt < 3; attempt++) {
    const doc = await readDoc(client, room, message.id);
    if (doc && doc.seq >= message.seq) return;
    const before = new Set<string>(doc ? (JSON.parse(doc.keys) as string[]) : []);
    const keys = keysOf(message);
    const after = new Set(keys);
    if (doc && before.size === after.size && keys.every((key) => before.has(key))) return;
    const docRow: DocEntity = {
      partitionKey: room,
      rowKey: DOC + message.id,
      first: message.first,
      seq: message.seq,
      keys: JSON.stringify(keys),
    };
    // The document row last, in the last transaction, under its ETag: a writer that lost to another
    // instance learns it there and reads again.
    const docAction: TransactionAction[] =
      keys.length === 0
        ? doc
          ? [['delete', { partitionKey: room, rowKey: DOC + message.id }]]
          : []
        : [doc ? ['update', docRow, 'Replace', { etag: doc.etag }] : ['create', docRow]];
    // Every row is written again, not only the new keys': each carries the filter of all of them.
    const filter = keyFilterOf(keys);
    const actions: TransactionAction[] = [
      ...keys.map((key): TransactionAction => ['upsert', postingOf(message, key, filter), 'Replace']),
      ...[...before]
        .filter((key) => !after.has(key))
        .map((key): TransactionAction => [
          'delete',
          { partitionKey: room, rowKey: keyStart(key) + inverted(message.first) },
        ]),
      ...docAction,
    ];
    try {
      for (const part of chunk(actions, BATCH)) await submit(client, part);
      return;
    } catch (err) {
      if (!isConflict(err) && !isPreconditionFailed(err)) throw err;
    }
  }
}

/** A transaction; one whose deletions meet rows already gone (a pass cut short before) is done row by row. */
async function submit(client: TableClient, actions: TransactionAction[]): Promise<void> {
  if (actions.length === 0) return;
  try {
    await storage(() => client.submitTransaction(actions));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    for (const action of actions) {
      try {
        await storage(() => client.submitTransaction([action]));
      } catch (one) {
        if (!isNotFound(one) || action[0] !== 'delete') throw one;
      }
    }
  }
}

function postingOf(message: StoredMessage, key: string, filter: string): PostingEntity {
  return {
    partitionKey: message.room,
    rowKey: keyStart(key) + inverted(message.first),
    i: message.id,
    q: message.seq,
    t: Date.parse(message.sentAt),
    b: filter,
  };
}

async function readDoc(
  client: TableClient,
  room: string,
  id: string,
): Promise<(DocEntity & { etag: string }) | undefined> {
  try {
    return await storage(() => client.getEntity<DocEntity>(room, DOC + id));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

// ---- rebuilding ----

/**
 * Deletes the room's index and builds it again from its log (`npm run search:rebuild -- <room>`):
 * for an index written by an older version of the keys, or one damaged by hand. Searches of the
 * room meanwhile find what is indexed so far. Answers how many messages and rows it wrote.
 */
export async function rebuildIndex(room: string): Promise<{ messages: number; rows: number }> {
  const client = await searchTable(room);
  const filter = `PartitionKey eq '${odata(room)}'`;
  const old: string[] = [];
  await storage(async () => {
    for await (const row of client.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      old.push(row.rowKey as string);
    }
  });
  await inParallel(chunk(old, BATCH), (keys) =>
    submit(
      client,
      keys.map((rowKey): TransactionAction => ['delete', { partitionKey: room, rowKey }]),
    ),
  );
  indexed.delete(room);
  // A fresh partition: every message's rows are new, so messages share transactions.
  let after = 0;
  let messages = 0;
  let rows = 0;
  for (;;) {
    const page = await readChanges(room, after, 1000);
    const actions: TransactionAction[] = [];
    for (const message of page.messages) {
      const keys = keysOf(message);
      if (keys.length === 0) continue;
      messages++;
      const filter = keyFilterOf(keys);
      actions.push(...keys.map((key): TransactionAction => ['upsert', postingOf(message, key, filter), 'Replace']));
      const doc: DocEntity = {
        partitionKey: room,
        rowKey: DOC + message.id,
        first: message.first,
        seq: message.seq,
        keys: JSON.stringify(keys),
      };
      actions.push(['upsert', doc, 'Replace']);
    }
    rows += actions.length;
    await inParallel(chunk(actions, BATCH), (part) => storage(() => client.submitTransaction(part)));
    if (page.messages.length > 0) after = Math.max(...page.messages.map((message) => message.seq));
    if (!page.hasMore) break;
  }
  await writeAt(client, room, await readAt(room), after);
  remember(room, after);
  return { messages, rows };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

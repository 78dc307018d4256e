/**
 * A room as an ordered log of changes in Table Storage, one partition per room.
 *
 * Every change to a room (a new message, an edit, a deletion, a reaction) takes the next number
 * of the room's counter row, in the same transaction that writes the change; the counter is
 * updated under its ETag, so two writers can never take the same number and a writer that lost
 * the race reads again and retries. The numbers therefore follow the order in which changes were
 * stored, whatever time a writer stamped on them, and "everything after n" is one range query.
 *
 * Rows of a room:
 * - `seq`: the counter (the number of the room's newest change).
 * - `id_<message id>`: the id marker — the message's first and latest change numbers. Its insert
 *   makes a repeated client id store nothing.
 * - `n_<inverted first number>`: the message in creation order, newest first (history pages).
 * - `c_<latest number>`: the message's current state at its latest change (catch-up). Each
 *   message has exactly one such row: a change deletes the row of its previous change, so the
 *   log holds the room's exact current state in change order, and a deleted message's text is
 *   gone from every row.
 * - `u_…`, `m_…`, `r_…`: the unread index (unread-index.ts), written in the same transactions.
 * - `x_…`, `y_…`: who reacted with what (reactors.ts), written in the same transactions as the
 *   counts on the message's rows.
 */
import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';

import { type Attachment, type Message, type Reaction, REACTION_PEOPLE_SHOWN, type UserRef } from '../../../contract';
import {
  isConflict,
  isNotFound,
  isPreconditionFailed,
  odata,
  storage,
  StorageBusyError,
  table,
} from '../../platform/storage/tables';
import { countFromIndex, type Counts, indexChanges, indexRows } from './unread-index';

const COUNTER = 'seq';
const MARKER = 'id_';
const HISTORY = 'n_';
const HISTORY_END = 'n`'; // the character after '_': [n_, n`) is every history row
const LOG = 'c_';
const LOG_END = 'c`';
const DIGITS = 15;
const MAX_SEQ = 10 ** DIGITS - 1;

/**
 * How often a writer that lost the counter race to another instance tries again, waiting a little
 * longer (with jitter) each time, before it gives up: {@link RoomBusyError}, which is a 503 with
 * `Retry-After`, never a 500.
 */
const MAX_ATTEMPTS = 8;
/** The first wait after a lost race, doubled each time up to {@link MAX_BACKOFF_MS}; each wait is a random part of it. */
const BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 400;
/**
 * Writers of one room (sends and changes) waiting for their turn in this instance, beyond which one is refused at once
 * (503 with `Retry-After`): past the room's capacity, waiting longer only makes every answer late.
 * 50 is about a second of commits on a busy shared core, a fraction of one against Azure.
 */
export const MAX_WAITING_WRITERS = 50;
/** Rooms whose counter this instance remembers (the most recently written). */
const KNOWN_COUNTERS = 10_000;

/** A room's log is written faster than it can take: nothing was stored, try again after `retryAfterSeconds`. */
export class RoomBusyError extends StorageBusyError {}

/** A message's stored state; {@link toWire} makes the message the contract describes. */
export interface MessageState {
  readonly id: string;
  readonly text: string;
  readonly sender: UserRef;
  readonly sentAt: string;
  /** The number of the change that created the message. */
  readonly first: number;
  readonly editedAt?: string;
  /** The client's revision of the newest edit applied: older or repeated edits change nothing. */
  readonly revision?: number;
  readonly deleted?: boolean;
  readonly deletedBy?: string;
  /** Emoji → how many reacted with it and the first few of them; who they all are is in reactors.ts's rows. */
  readonly reactions?: Readonly<Record<string, ReactionSummary>>;
  /**
   * Emoji → every person who reacted with it, as messages stored before reactors had rows of their
   * own kept them (read as they are, never added to; a person taking their reaction back leaves it).
   */
  readonly legacyReactors?: Readonly<Record<string, readonly UserRef[]>>;
  readonly replyTo?: string;
  /** Ids of the people mentioned (members when it was sent). */
  readonly mentions?: readonly string[];
  /** `@room`, where the room allows it. */
  readonly mentionsRoom?: boolean;
  /** The files it carries (their metadata; the bytes are blobs, see domain/attachments/attachments.ts). */
  readonly attachments?: readonly Attachment[];
  /**
   * Whom it told by name (a `mention` event, or muted then) over its send and edits, at most
   * MAX_TOLD_PER_MESSAGE: nobody is told twice (mentions/mentions.ts). Absent on messages stored
   * before it existed: their `mentions` were told.
   */
  readonly told?: readonly string[];
  /** Its room was told (`@room`, one group event); absent before it existed: `mentionsRoom`. */
  readonly toldRoom?: boolean;
  /** Whom its latest edit told, and whether it told the room: an exact repeat of that edit tells them again. */
  readonly toldLast?: readonly string[];
  readonly toldRoomLast?: boolean;
}

/** One emoji's reactions as a message's row holds them: a count and the first few people (REACTION_PEOPLE_SHOWN). */
export interface ReactionSummary {
  readonly count: number;
  readonly people: readonly UserRef[];
}

export interface StoredMessage extends MessageState {
  readonly room: string;
  /** The number of the message's latest change. */
  readonly seq: number;
}

/** `indexFrom`: the first change number whose message the unread index holds (absent before the index existed). */
type CounterEntity = {
  partitionKey: string;
  rowKey: string;
  seq: number;
  indexFrom?: number;
  /** How many removals fenced the room ({@link fenceRoom}); every write of the counter keeps it. */
  fence?: number;
};
type MarkerEntity = { partitionKey: string; rowKey: string; first: number; latest: number };
type StateEntity = {
  partitionKey: string;
  rowKey: string;
  id: string;
  text: string;
  senderId: string;
  senderName: string;
  sentAt: string;
  first: number;
  seq: number;
  editedAt?: string;
  revision?: number;
  deleted?: boolean;
  deletedBy?: string;
  /** JSON of {@link MessageState.reactions}. */
  reactionCounts?: string;
  /** JSON of {@link MessageState.legacyReactors}: where rows stored before reactionCounts kept every reactor. */
  reactions?: string;
  replyTo?: string;
  /** JSON of {@link MessageState.mentions}. */
  mentions?: string;
  mentionsRoom?: boolean;
  /** JSON of {@link MessageState.attachments} (a few KB at most: no thumbnails inline). */
  attachments?: string;
  /** JSON of {@link MessageState.told} (at most MAX_TOLD_PER_MESSAGE ids). */
  told?: string;
  toldRoom?: boolean;
  /** JSON of {@link MessageState.toldLast}. */
  toldLast?: string;
  toldRoomLast?: boolean;
};

const pad = (n: number) => String(n).padStart(DIGITS, '0');
const historyKey = (first: number) => HISTORY + pad(MAX_SEQ - first);
const logKey = (seq: number) => LOG + pad(seq);

export interface CreateResult {
  /** False when the id was already stored: nothing was written. */
  readonly created: boolean;
  readonly message: StoredMessage;
}

/**
 * Stores a new message once per id; a repeated id returns what is stored and writes nothing.
 *
 * A new message costs one round trip, the commit: the id marker's insert in the same transaction
 * is the duplicate check, and the counter is the one this instance last wrote (or read, see
 * {@link prepareCreate}), which the commit checks by its ETag. Writers of one room in this
 * instance take turns, so they never race each other for the counter; a writer that lost to
 * another instance reads the counter again and retries after a short random wait. The stored copy
 * is looked up only when a commit conflicts (a repeated id).
 *
 * `beside(seq)` is called just before each attempt's commit with the number it is to take, for
 * work that goes with the commit in the same step (the author's read position); it must not
 * wait. Throws {@link RoomBusyError} when the room is written faster than it can take.
 *
 * `gate(at)`: the sender's membership, checked again unless a check that passed started after
 * `at`, when this instance obtained the counter it commits under. A removal fences the room's
 * counter after it commits ({@link fenceRoom}), so a commit that succeeds under a counter obtained
 * before a passed check began cannot come after a removal that check missed. So no message of a
 * removed person is stored after their removal's fence (docs/behaviour.md, Membership). The
 * counter counts fences: a retry whose counter shows no fence since a passed check is not checked
 * again, so contention between writers costs no membership reads.
 */
export async function createMessage(
  room: string,
  message: Omit<MessageState, 'first'>,
  beside?: (seq: number) => void,
  gate?: (counterAt: number | undefined) => Promise<unknown>,
): Promise<CreateResult> {
  const client = await table('messages');
  return inTurn(room, async () => {
    let cleared: number | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const known = counters.get(room);
      const counter = known ?? (await readCounter(client, room));
      // After a passed check, a counter with the same fence number saw no removal since: no need to ask again.
      if (gate && (cleared === undefined || (counter.fence ?? 0) !== cleared)) {
        await gate(counter.at);
        cleared = counter.fence ?? 0;
      }
      const seq = counter.seq + 1;
      const stored: StoredMessage = { ...message, room, first: seq, seq };
      const actions: TransactionAction[] = [counterAction(room, counter, seq), ...newMessageRows(stored)];
      beside?.(seq);
      const outcome = await commit(client, actions);
      if (outcome.committed) {
        remember(room, seq, outcome.etag, indexStartOf(counter), counter.fence);
        return { created: true, message: stored };
      }
      counters.delete(room);
      // A counter only this instance's memory had wrong: read it and try again at once.
      if (known && outcome.stale) continue;
      if (!outcome.stale) {
        const existing = await findMessage(room, message.id);
        if (existing) return { created: false, message: existing };
      }
      await backOff(attempt);
    }
    throw new RoomBusyError(`room ${room}: gave up after ${MAX_ATTEMPTS} writers of other instances got in first`);
  });
}

/**
 * Step one of a send, beside its other reads: reads the room's counter unless this instance knows
 * it, so that {@link createMessage} needs only its commit. Never fails (the commit reads it then).
 * Answers whether it read the counter (the sender's membership is then checked again: createMessage `gate`).
 */
export async function prepareCreate(room: string): Promise<boolean> {
  if (counters.has(room)) return false;
  try {
    const counter = await readCounter(await table('messages'), room);
    if (!counters.has(room)) counters.set(room, counter);
  } catch {
    // Storage trouble: createMessage reads the counter itself and reports it.
  }
  return true;
}

/** The counter of each room as this instance last committed or read it: a guess its ETag checks. */
const counters = new Map<string, Counter>();

function remember(
  room: string,
  seq: number,
  etag: string | undefined,
  indexFrom: number,
  fence: number | undefined,
): void {
  rememberIndexStart(room, indexFrom);
  counters.delete(room); // re-inserted: the Map's order is the order of use
  if (etag === undefined) return;
  counters.set(room, { seq, etag, indexFrom, at: Date.now(), ...(fence !== undefined && { fence }) });
  if (counters.size > KNOWN_COUNTERS) counters.delete(counters.keys().next().value as string);
}

/** The tail of each room's queue of writers in this instance, and how many wait in it. */
const turns = new Map<string, { tail: Promise<unknown>; waiting: number }>();

/** Runs `work` after every earlier writer of the room in this instance has finished. */
function inTurn<T>(room: string, work: () => Promise<T>): Promise<T> {
  const queue = turns.get(room) ?? { tail: Promise.resolve(), waiting: 0 };
  if (queue.waiting >= MAX_WAITING_WRITERS) {
    return Promise.reject(new RoomBusyError(`room ${room}: ${queue.waiting} writers already waiting`));
  }
  queue.waiting++;
  const run = queue.tail.then(work);
  queue.tail = run.then(
    () => undefined,
    () => undefined,
  );
  turns.set(room, queue);
  void queue.tail.then(() => {
    queue.waiting--;
    if (queue.waiting === 0 && turns.get(room) === queue) turns.delete(room);
  });
  return run;
}

/** A random wait up to 10 ms, 20 ms, 40 ms, … 400 ms: writers that collided do not collide again in step. */
function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * What a change decides: the new state (and `rows`: other rows of the room's partition the same
 * transaction writes), nothing to do (idempotent repeat), or a refusal.
 */
export type Decision<E> =
  | { readonly state: MessageState; readonly rows?: readonly TransactionAction[] }
  | { readonly unchanged: true }
  | { readonly refused: E };

export type UpdateResult<E> =
  /** `previous`: the state the decision was made on, which the change replaced. */
  | { readonly kind: 'changed'; readonly message: StoredMessage; readonly previous: StoredMessage }
  | { readonly kind: 'unchanged'; readonly message: StoredMessage }
  | { readonly kind: 'refused'; readonly reason: E }
  | { readonly kind: 'missing' };

/**
 * Applies `decide` to a message's current state and stores the result as the room's next change.
 * `decide` may run more than once (when another writer got in first) and must not have effects; it
 * may read rows of the room (every change takes the counter, so the commit fails if one changed).
 * Writers of one room in this instance take turns, as sends do ({@link createMessage}): a burst on
 * one message (45 people reacting at once) queues instead of racing for the counter. A writer that
 * lost to another instance retries after a random wait; past {@link MAX_ATTEMPTS} it throws
 * {@link RoomBusyError} (503 with `Retry-After`).
 */
export async function updateMessage<E>(
  room: string,
  id: string,
  decide: (current: StoredMessage) => Decision<E> | Promise<Decision<E>>,
): Promise<UpdateResult<E>> {
  const client = await table('messages');
  return inTurn(room, async () => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const result = await tryUpdate(client, room, id, decide);
      if (result !== 'lost') return result;
      counters.delete(room);
      await backOff(attempt);
    }
    throw new RoomBusyError(`room ${room}: gave up after ${MAX_ATTEMPTS} writers of other instances got in first`);
  });
}

/** One attempt of {@link updateMessage}: 'lost' when another writer changed the room or the message first. */
async function tryUpdate<E>(
  client: TableClient,
  room: string,
  id: string,
  decide: (current: StoredMessage) => Decision<E> | Promise<Decision<E>>,
): Promise<UpdateResult<E> | 'lost'> {
  // The counter this instance last wrote, when it knows it (its ETag guards the commit).
  const counter = counters.get(room) ?? (await readCounter(client, room));
  const marker = await readMarker(client, room, id);
  if (!marker) return { kind: 'missing' };
  const current = await readState(client, room, logKey(marker.latest));
  if (!current) return 'lost'; // changed between the two reads: read again
  const decision = await decide(current);
  if ('refused' in decision) return { kind: 'refused', reason: decision.refused };
  if ('unchanged' in decision) return { kind: 'unchanged', message: current };
  const seq = counter.seq + 1;
  const next: StoredMessage = { ...decision.state, id, first: current.first, room, seq };
  const actions: TransactionAction[] = [
    counterAction(room, counter, seq),
    ['update', { ...marker.entity, latest: seq }, 'Replace', { etag: marker.etag }],
    ['update', entityOf(next, historyKey(next.first)), 'Replace'],
    ['delete', { partitionKey: room, rowKey: logKey(marker.latest) }],
    ['create', entityOf(next, logKey(seq))],
    // A message older than the index has no rows in it (its counts come from the log).
    ...(current.first >= indexStartOf(counter) ? indexChanges(current, next) : []),
    ...(decision.rows ?? []),
  ];
  const outcome = await commit(client, actions);
  if (outcome.committed) {
    remember(room, seq, outcome.etag, indexStartOf(counter), counter.fence);
    return { kind: 'changed', message: next, previous: current };
  }
  return 'lost';
}

export async function findMessage(room: string, id: string): Promise<StoredMessage | undefined> {
  const client = await table('messages');
  const marker = await readMarker(client, room, id);
  return marker && (await readState(client, room, logKey(marker.latest)));
}

/**
 * Unread and mention counts of `room` for `userId` after `readSeq`, from the unread index
 * (unread-index.ts countFromIndex, which says what it reads); the room's counter is read beside
 * it unless this instance knows where the index begins.
 */
export async function countUnreadIndexed(
  room: string,
  userId: string,
  readSeq: number,
  blocked?: () => Promise<(senderId: string) => boolean>,
): Promise<Counts> {
  const client = await table('messages');
  const known = indexStarts.get(room);
  const start = known !== undefined ? Promise.resolve(known) : readCounter(client, room).then(indexStartOf);
  return countFromIndex(client, room, userId, readSeq, start, blocked);
}

/** Where each room's unread index begins, as this instance last read or wrote it: set once per room, it never changes. */
const indexStarts = new Map<string, number>();

function rememberIndexStart(room: string, indexFrom: number): void {
  if (indexStarts.has(room)) return;
  indexStarts.set(room, indexFrom);
  if (indexStarts.size > KNOWN_COUNTERS) indexStarts.delete(indexStarts.keys().next().value as string);
}

/** The number of the room's newest change (0 for a room without any). */
export async function latestSeq(room: string): Promise<number> {
  return (await readCounter(await table('messages'), room)).seq;
}

export interface HistoryPage {
  /** Oldest first. */
  readonly messages: StoredMessage[];
  readonly hasMore: boolean;
}

/** The newest `limit` messages, or the `limit` just older than the message `before` (undefined if unknown). */
export async function readHistory(room: string, limit: number, before?: string): Promise<HistoryPage | undefined> {
  const client = await table('messages');
  let from = HISTORY;
  if (before !== undefined) {
    const marker = await readMarker(client, room, before);
    if (!marker) return undefined;
    from = historyKey(marker.first) + '\u0000'; // strictly older
  }
  const rows = await collect(client, room, from, HISTORY_END, limit + 1);
  return { messages: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
}

export interface AroundPage {
  /** Oldest first: up to `older` messages before the one asked for, it, and every message created in the `newerSpan` changes after it. */
  readonly messages: StoredMessage[];
  /** Whether there are messages older than the page. */
  readonly hasMore: boolean;
  /** The newest change number the page holds every new message up to: catch-up from it brings the rest. */
  readonly cursor: number;
}

/**
 * The page around message `id` (undefined if unknown). Older messages are one range query back
 * from it; newer ones are one range query over the next `newerSpan` change numbers (the history
 * rows are keyed by creation number, newest first, so "the few just after" is a bounded band
 * rather than a scan forward). The counter is read first, so every change up to `cursor` is
 * committed and the page holds each message created up to it.
 */
export async function readAround(
  room: string,
  id: string,
  older: number,
  newerSpan: number,
): Promise<AroundPage | undefined> {
  const client = await table('messages');
  const [counter, marker] = await Promise.all([readCounter(client, room), readMarker(client, room, id)]);
  if (!marker) return undefined;
  const cursor = Math.max(marker.first, Math.min(marker.first + newerSpan, counter.seq));
  const [newer, before] = await Promise.all([
    // Keys run newest first: [key(cursor), key(first)] is the message and those created after it up to cursor.
    collect(client, room, historyKey(cursor), historyKey(marker.first) + '\u0000', newerSpan + 1),
    collect(client, room, historyKey(marker.first) + '\u0000', HISTORY_END, older + 1),
  ]);
  return {
    messages: [...before.slice(0, older).reverse(), ...newer.reverse()],
    hasMore: before.length > older,
    cursor,
  };
}

export interface ChangePage {
  /** Each message changed after the cursor, once, in its current state, in change order. */
  readonly messages: StoredMessage[];
  readonly hasMore: boolean;
}

/** Changes after number `after`: one range query, however busy the room. */
export async function readChanges(room: string, after: number, limit: number): Promise<ChangePage> {
  const client = await table('messages');
  const rows = await collect(client, room, logKey(after + 1), LOG_END, limit + 1);
  return { messages: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** The change number at which a message was created, for id cursors (undefined if unknown). */
export async function firstSeqOf(room: string, id: string): Promise<number | undefined> {
  return (await readMarker(await table('messages'), room, id))?.first;
}

/**
 * The wire message: reactions as a list, replies resolved by the caller. `mine`, for a message
 * shown to one person: the emoji they reacted with (each reaction then says whether it is theirs).
 */
export function toWire(message: StoredMessage, mine?: ReadonlySet<string>): Message {
  return {
    id: message.id,
    room: message.room,
    text: message.text,
    sender: message.sender,
    sentAt: message.sentAt,
    seq: message.seq,
    ...(message.editedAt !== undefined && { editedAt: message.editedAt }),
    ...(message.deleted && { deleted: true }),
    ...(message.reactions &&
      Object.keys(message.reactions).length > 0 && {
        reactions: Object.entries(message.reactions).map(([emoji, { count, people }]): Reaction => ({
          emoji,
          count,
          people,
          ...(mine && { mine: mine.has(emoji) }),
        })),
      }),
    ...(message.replyTo !== undefined && { replyTo: { id: message.replyTo } }),
    ...(!message.deleted && message.mentions && message.mentions.length > 0 && { mentions: [...message.mentions] }),
    ...(!message.deleted && message.mentionsRoom && { mentionsRoom: true }),
    ...(message.attachments && message.attachments.length > 0 && { attachments: message.attachments }),
  };
}

// ---- rows ----

/**
 * The rows a new message takes (marker, history, log, and its unread index rows unless `indexed` is
 * false, which only tests use for a log from before the index); with the counter's action, one transaction.
 */
export function newMessageRows(stored: StoredMessage, indexed = true): TransactionAction[] {
  const marker: MarkerEntity = {
    partitionKey: stored.room,
    rowKey: MARKER + stored.id,
    first: stored.seq,
    latest: stored.seq,
  };
  return [
    ['create', marker],
    ['create', entityOf(stored, historyKey(stored.seq))],
    ['create', entityOf(stored, logKey(stored.seq))],
    ...(indexed ? indexRows(stored).map((row): TransactionAction => ['create', row]) : []),
  ];
}

export interface Counter {
  readonly seq: number;
  readonly etag?: string;
  /** See {@link CounterEntity}. */
  readonly indexFrom?: number;
  /** When this instance read or wrote it (its clock): the ETag is at least this old. */
  readonly at?: number;
  /** See {@link CounterEntity}. */
  readonly fence?: number;
}

/** The first change number whose message the unread index holds: from the next change on, for a log older than the index. */
const indexStartOf = (counter: Counter): number => counter.indexFrom ?? counter.seq + 1;

export async function readRoomCounter(room: string): Promise<Counter> {
  return readCounter(await table('messages'), room);
}

/**
 * Moves the room's counter to `seq`, under the ETag it was read with. `indexed: false` (tests only)
 * leaves out where the unread index begins, as a counter from before the index.
 */
export function counterAction(room: string, counter: Counter, seq: number, indexed = true): TransactionAction {
  const entity: CounterEntity = {
    partitionKey: room,
    rowKey: COUNTER,
    seq,
    ...(indexed && { indexFrom: indexStartOf(counter) }),
    ...(counter.fence !== undefined && { fence: counter.fence }),
  };
  return counter.etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: counter.etag }];
}

async function readCounter(client: TableClient, room: string): Promise<Counter> {
  try {
    const entity = await storage(() => client.getEntity<CounterEntity>(room, COUNTER));
    if (entity.indexFrom !== undefined) rememberIndexStart(room, entity.indexFrom);
    return {
      seq: entity.seq,
      etag: entity.etag,
      ...(entity.indexFrom !== undefined && { indexFrom: entity.indexFrom }),
      ...(entity.fence !== undefined && { fence: entity.fence }),
      at: Date.now(),
    };
  } catch (err) {
    if (isNotFound(err)) return { seq: 0, at: Date.now() };
    throw err;
  }
}

/**
 * After a removal from the room commits: changes the counter's ETag (a rewrite of the same values,
 * creating it if the room has no change yet), so a send that checked membership before the removal
 * fails its commit and checks again (createMessage `gate`). Answers the change number the room was
 * at: no message of the person removed is stored after it.
 */
export async function fenceRoom(room: string): Promise<number> {
  const client = await table('messages');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const counter = await readCounter(client, room);
    const fenced = { ...counter, fence: (counter.fence ?? 0) + 1 };
    const outcome = await commit(client, [counterAction(room, fenced, counter.seq)]);
    if (outcome.committed) {
      counters.delete(room);
      return counter.seq;
    }
    await backOff(attempt);
  }
  throw new RoomBusyError(`room ${room}: could not fence the counter`);
}

async function readMarker(
  client: TableClient,
  room: string,
  id: string,
): Promise<{ first: number; latest: number; etag: string; entity: MarkerEntity } | undefined> {
  try {
    const entity = await storage(() => client.getEntity<MarkerEntity>(room, MARKER + id));
    const plain: MarkerEntity = { partitionKey: room, rowKey: MARKER + id, first: entity.first, latest: entity.latest };
    return { first: entity.first, latest: entity.latest, etag: entity.etag, entity: plain };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function readState(client: TableClient, room: string, rowKey: string): Promise<StoredMessage | undefined> {
  try {
    return fromEntity(await storage(() => client.getEntity<StateEntity>(room, rowKey)));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

type Outcome =
  /** `etag`: the counter row's new ETag, when storage told it. */
  | { readonly committed: true; readonly etag?: string }
  /** `stale`: the counter's ETag did not match (another writer took the number); else a row conflicted. */
  | { readonly committed: false; readonly stale: boolean };

/** Commits a transaction whose first action is the counter's; refused when another writer changed the counter or the marker first. */
async function commit(client: TableClient, actions: TransactionAction[]): Promise<Outcome> {
  try {
    const response = await storage(() => client.submitTransaction(actions));
    return { committed: true, etag: response.subResponses.find((r) => r.rowKey === COUNTER)?.etag };
  } catch (err) {
    if (isPreconditionFailed(err)) return { committed: false, stale: true };
    if (isConflict(err) || isNotFound(err)) return { committed: false, stale: false };
    throw err;
  }
}

async function collect(
  client: TableClient,
  room: string,
  fromInclusive: string,
  toExclusive: string,
  max: number,
): Promise<StoredMessage[]> {
  const filter = `PartitionKey eq '${odata(room)}' and RowKey ge '${odata(fromInclusive)}' and RowKey lt '${odata(toExclusive)}'`;
  return storage(async () => {
    const out: StoredMessage[] = [];
    const pages = client
      .listEntities<StateEntity>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(max, 1000) });
    for await (const page of pages) {
      for (const entity of page) {
        out.push(fromEntity(entity));
        if (out.length >= max) return out;
      }
    }
    return out;
  });
}

function entityOf(message: StoredMessage, rowKey: string): StateEntity {
  return {
    partitionKey: message.room,
    rowKey,
    id: message.id,
    text: message.deleted ? '' : message.text,
    senderId: message.sender.id,
    senderName: message.sender.name,
    sentAt: message.sentAt,
    first: message.first,
    seq: message.seq,
    ...(message.editedAt !== undefined && { editedAt: message.editedAt }),
    ...(message.revision !== undefined && { revision: message.revision }),
    ...(message.deleted && { deleted: true, ...(message.deletedBy !== undefined && { deletedBy: message.deletedBy }) }),
    ...(message.reactions &&
      Object.keys(message.reactions).length > 0 && { reactionCounts: JSON.stringify(message.reactions) }),
    ...(message.legacyReactors &&
      Object.keys(message.legacyReactors).length > 0 && { reactions: JSON.stringify(message.legacyReactors) }),
    ...(message.replyTo !== undefined && { replyTo: message.replyTo }),
    // Like the text, who a deleted message mentioned is gone from storage.
    ...(!message.deleted &&
      message.mentions &&
      message.mentions.length > 0 && { mentions: JSON.stringify(message.mentions) }),
    ...(!message.deleted && message.mentionsRoom && { mentionsRoom: true }),
    ...(message.attachments && message.attachments.length > 0 && { attachments: JSON.stringify(message.attachments) }),
    // Whom it told goes with the text too.
    ...(!message.deleted && message.told && { told: JSON.stringify(message.told) }),
    ...(!message.deleted && message.toldRoom && { toldRoom: true }),
    ...(!message.deleted && message.toldLast && { toldLast: JSON.stringify(message.toldLast) }),
    ...(!message.deleted && message.toldRoomLast && { toldRoomLast: true }),
  };
}

function fromEntity(entity: TableEntityResult<StateEntity> | StateEntity): StoredMessage {
  return {
    id: entity.id,
    room: entity.partitionKey,
    text: entity.text,
    sender: { id: entity.senderId, name: entity.senderName },
    sentAt: entity.sentAt,
    first: entity.first,
    seq: entity.seq,
    ...(entity.editedAt !== undefined && { editedAt: entity.editedAt }),
    ...(entity.revision !== undefined && { revision: entity.revision }),
    ...(entity.deleted && { deleted: true }),
    ...(entity.deletedBy !== undefined && { deletedBy: entity.deletedBy }),
    ...reactionsOf(entity),
    ...(entity.replyTo !== undefined && { replyTo: entity.replyTo }),
    ...(entity.mentions !== undefined && { mentions: JSON.parse(entity.mentions) as string[] }),
    ...(entity.mentionsRoom && { mentionsRoom: true }),
    ...(entity.attachments !== undefined && { attachments: JSON.parse(entity.attachments) as Attachment[] }),
    ...(entity.told !== undefined && { told: JSON.parse(entity.told) as string[] }),
    ...(entity.toldRoom && { toldRoom: true }),
    ...(entity.toldLast !== undefined && { toldLast: JSON.parse(entity.toldLast) as string[] }),
    ...(entity.toldRoomLast && { toldRoomLast: true }),
  };
}

/**
 * A row's reactions. Rows stored before reactors had rows of their own hold every reactor in
 * `reactions` (emoji → people): read as counts and the first few people, and kept as
 * {@link MessageState.legacyReactors} so that those people's reactions stay theirs.
 */
function reactionsOf(entity: StateEntity): Pick<MessageState, 'reactions' | 'legacyReactors'> {
  const legacy =
    entity.reactions === undefined ? undefined : (JSON.parse(entity.reactions) as Record<string, UserRef[]>);
  const counts =
    entity.reactionCounts === undefined
      ? legacy &&
        Object.fromEntries(
          Object.entries(legacy).map(([emoji, people]) => [
            emoji,
            { count: people.length, people: people.slice(0, REACTION_PEOPLE_SHOWN) },
          ]),
        )
      : (JSON.parse(entity.reactionCounts) as Record<string, ReactionSummary>);
  return {
    ...(counts && Object.keys(counts).length > 0 && { reactions: counts }),
    ...(legacy && Object.keys(legacy).length > 0 && { legacyReactors: legacy }),
  };
}

/**
 * A message as it is now, read where it was at change `seq` when that is still its latest (one
 * point read), else through its marker (two): for projections that remember the change they saw.
 */
export async function findMessageAt(room: string, id: string, seq: number): Promise<StoredMessage | undefined> {
  const client = await table('messages');
  const at = await readState(client, room, logKey(seq));
  if (at && at.id === id) return at;
  return findMessage(room, id);
}

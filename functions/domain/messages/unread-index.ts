/**
 * The unread index: small rows beside a room's log, in its partition, from which unread and mention
 * counts are counted without reading a message (docs/http-api.md, "What each route costs").
 *
 * Rows of a room, one set per message that is not deleted, written in the same transaction as the
 * message's change (room-log.ts), so they always say what the log says:
 * - `u_<first>`: every message, with its sender (unread counts).
 * - `m_<person>_<first>`: each person it mentions by id (`<person>` is a fixed-length hash of the
 *   id, so a person's mentions are one key range); with the sender.
 * - `r_<first>`: `@room`, where the room allows it; with the sender.
 *
 * `<first>` is the number of the change that created the message, so "after my read position" is a
 * key range of each kind. A count reads at most {@link UNREAD_COUNT_CAP} (+1) counted rows of each
 * kind, in at most {@link MAX_PAGES} pages: its cost does not grow with the room's size or history.
 *
 * Rooms whose log began before the index have `indexFrom` on their counter row: the first change
 * number whose message the index holds. Messages created before it are counted from the log's
 * rows, with only the few properties a count needs selected ({@link countLegacy}); that happens only
 * for a read position older than the index, and stops once every such message is read.
 */
import { createHash } from 'node:crypto';

import type { TableClient, TransactionAction } from '@azure/data-tables';

import { allowsRoomMentions, DM_PREFIX, UNREAD_COUNT_CAP } from '../../../contract';
import { odata, storage } from '../../platform/storage/tables';

const UNREAD = 'u_';
const ROOM_MENTION = 'r_';
const PERSON_MENTION = 'm_';
/** The character after '_': `[x_, x\`)` is every row of kind `x`. */
const END = '`';
const DIGITS = 15;
/** Pages of one kind a count reads at most (each {@link UNREAD_COUNT_CAP} + 1 rows). */
export const MAX_PAGES = 3;
/** Log rows a count of messages older than the index reads at most (one Table Storage page). */
export const LEGACY_SCAN_LIMIT = 1000;

type IndexEntity = { partitionKey: string; rowKey: string; senderId: string };

const pad = (n: number) => String(n).padStart(DIGITS, '0');
/** A person's key part: a hash, so any id (whatever characters a provider uses) makes a valid, fixed-length key. */
const personKey = (userId: string) => createHash('sha256').update(userId).digest('hex').slice(0, 24);
const personPrefix = (userId: string) => `${PERSON_MENTION}${personKey(userId)}_`;

/** What the index needs of a message. */
export interface Indexed {
  readonly room: string;
  readonly first: number;
  readonly sender: { readonly id: string };
  readonly deleted?: boolean;
  readonly mentions?: readonly string[];
  readonly mentionsRoom?: boolean;
}

/** The index rows of a message as it is (none once deleted). */
export function indexRows(message: Indexed): IndexEntity[] {
  if (message.deleted) return [];
  const row = (rowKey: string): IndexEntity => ({ partitionKey: message.room, rowKey, senderId: message.sender.id });
  return [
    row(UNREAD + pad(message.first)),
    ...[...new Set(message.mentions ?? [])].map((id) => row(personPrefix(id) + pad(message.first))),
    ...(message.mentionsRoom && allowsRoomMentions(message.room) ? [row(ROOM_MENTION + pad(message.first))] : []),
  ];
}

/** The actions that turn a message's index rows from `before` into `after` (nothing when whom it tells did not change). */
export function indexChanges(before: Indexed, after: Indexed): TransactionAction[] {
  const old = new Set(indexRows(before).map((row) => row.rowKey));
  const next = indexRows(after);
  const keep = new Set(next.map((row) => row.rowKey));
  return [
    ...[...old]
      .filter((key) => !keep.has(key))
      .map((rowKey): TransactionAction => ['delete', { partitionKey: before.room, rowKey }]),
    ...next.filter((row) => !old.has(row.rowKey)).map((row): TransactionAction => ['upsert', row, 'Replace']),
  ];
}

export interface Counts {
  readonly unread: number;
  readonly mentions: number;
}

/**
 * Unread and mention counts of `room` for `userId` after `readSeq`, both capped at
 * {@link UNREAD_COUNT_CAP}: messages created after it, not sent by the person and not deleted;
 * mentions are those naming the person, `@room` where allowed, and every message of a DM, except
 * those whose sender the person blocked (`blocked`, asked only when there is a mention to check;
 * messages older than the index are counted without it). `indexFrom` answers the room's first indexed change number (room-log.ts indexStart); the index
 * is read meanwhile (it holds no row of an older message).
 *
 * Cost: one range query of each kind (two in a DM, which needs no mention rows), each at most
 * {@link MAX_PAGES} pages of {@link UNREAD_COUNT_CAP} + 1 small rows, in parallel with `indexFrom`,
 * then, when a mention was found, the person's block set (one point read, shared by the caller's counts);
 * plus, when the position is older than the index, one query of at most {@link LEGACY_SCAN_LIMIT}
 * log rows (a few properties each).
 */
export async function countFromIndex(
  client: TableClient,
  room: string,
  userId: string,
  readSeq: number,
  indexFrom: Promise<number>,
  blocked: () => Promise<(senderId: string) => boolean> = async () => () => false,
): Promise<Counts> {
  const from = pad(readSeq + 1);
  const everyMessage = room.startsWith(DM_PREFIX);
  const notOwn = (row: IndexEntity) => row.senderId !== userId;
  const [unread, byName, byRoom, legacy] = await Promise.all([
    scan(client, room, UNREAD + from, UNREAD + END, notOwn),
    everyMessage
      ? []
      : scan(client, room, personPrefix(userId) + from, personPrefix(userId).slice(0, -1) + END, notOwn),
    everyMessage || !allowsRoomMentions(room)
      ? []
      : scan(client, room, ROOM_MENTION + from, ROOM_MENTION + END, notOwn),
    indexFrom.then((start) =>
      readSeq + 1 < start ? countLegacy(client, room, userId, readSeq, start) : { unread: 0, mentions: 0 },
    ),
  ]);
  // Mentions by people the person blocked do not count: their block set is read only when there is a mention to check.
  const candidates = everyMessage ? unread : [...byName, ...byRoom];
  const isBlocked = candidates.length > 0 ? await blocked() : () => false;
  const mentions = new Set(candidates.filter((row) => !isBlocked(row.senderId)).map((row) => row.seq)).size;
  return {
    unread: Math.min(UNREAD_COUNT_CAP, unread.length + legacy.unread),
    mentions: Math.min(UNREAD_COUNT_CAP, mentions + legacy.mentions),
  };
}

/** The change numbers and senders of the rows in `[from, to)` that `counts`, until {@link UNREAD_COUNT_CAP} of them or {@link MAX_PAGES} pages. */
async function scan(
  client: TableClient,
  room: string,
  from: string,
  to: string,
  counts: (row: IndexEntity) => boolean,
): Promise<{ seq: number; senderId: string }[]> {
  const filter = `PartitionKey eq '${odata(room)}' and RowKey ge '${odata(from)}' and RowKey lt '${odata(to)}'`;
  return storage(async () => {
    const seqs: { seq: number; senderId: string }[] = [];
    let pages = 0;
    const query = client
      .listEntities<IndexEntity>({ queryOptions: { filter, select: ['RowKey', 'senderId'] } })
      .byPage({ maxPageSize: UNREAD_COUNT_CAP + 1 });
    for await (const page of query) {
      for (const row of page) {
        if (counts(row)) seqs.push({ seq: Number(row.rowKey.slice(-DIGITS)), senderId: row.senderId });
        if (seqs.length >= UNREAD_COUNT_CAP) return seqs;
      }
      if (++pages >= MAX_PAGES) return seqs;
    }
    return seqs;
  });
}

type LogCountEntity = {
  rowKey: string;
  first: number;
  senderId: string;
  deleted?: boolean;
  mentions?: string;
  mentionsRoom?: boolean;
};

/** Messages created after `readSeq` and before the index began, from the log's rows (`c_`, by latest change), a few properties each. */
async function countLegacy(
  client: TableClient,
  room: string,
  userId: string,
  readSeq: number,
  indexFrom: number,
): Promise<Counts> {
  const filter = `PartitionKey eq '${odata(room)}' and RowKey ge 'c_${pad(readSeq + 1)}' and RowKey lt 'c${END}'`;
  const select = ['RowKey', 'first', 'senderId', 'deleted', 'mentions', 'mentionsRoom'];
  const roomMentions = allowsRoomMentions(room);
  const everyMessage = room.startsWith(DM_PREFIX);
  return storage(async () => {
    let unread = 0;
    let mentions = 0;
    let read = 0;
    const query = client
      .listEntities<LogCountEntity>({ queryOptions: { filter, select } })
      .byPage({ maxPageSize: LEGACY_SCAN_LIMIT });
    for await (const page of query) {
      for (const row of page) {
        read++;
        if (row.first > readSeq && row.first < indexFrom && !row.deleted && row.senderId !== userId) {
          unread++;
          const named = row.mentions !== undefined && (JSON.parse(row.mentions) as string[]).includes(userId);
          if (everyMessage || (roomMentions && row.mentionsRoom) || named) mentions++;
        }
        if (read >= LEGACY_SCAN_LIMIT) return { unread, mentions };
      }
    }
    return { unread, mentions };
  });
}

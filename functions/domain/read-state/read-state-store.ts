/**
 * Each person's read state of each room, in Table Storage: partition = user id, row = room, so
 * "all my rooms" is one partition query and every change is one row updated under its ETag.
 *
 * The row holds the read position (`readSeq`, a change number of the room's log), the mute flag
 * and a `version` that counts up with every stored change. Moving the position forward keeps the
 * higher of the stored and the asked-for number, so two tabs racing never move it back; only
 * "mark as unread" sets it lower. Counts are not stored: they are counted from the room's unread
 * index, written with the log (see {@link countUnread}), so they agree with the log whatever was
 * edited, deleted or marked.
 */
import type { ReadState } from '../../../contract';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import { countUnreadIndexed } from '../messages/room-log';
import type { Counts } from '../messages/unread-index';
import { blockedSendersOnce, type IsBlocked } from '../people/blocks-store';

export type { Counts };

type ReadEntity = { partitionKey: string; rowKey: string; readSeq: number; muted: boolean; version: number };

export interface ReadRow {
  readonly room: string;
  /** 0 for a room the person never marked: everything in it is unread (counts capped). */
  readonly readSeq: number;
  readonly muted: boolean;
  readonly version: number;
}

const MAX_ATTEMPTS = 10;

const blank = (room: string): ReadRow => ({ room, readSeq: 0, muted: false, version: 0 });

export async function readRow(userId: string, room: string): Promise<ReadRow> {
  const client = await table('readstate');
  try {
    const entity = await storage(() => client.getEntity<ReadEntity>(userId, room));
    return { room, readSeq: entity.readSeq, muted: entity.muted, version: entity.version };
  } catch (err) {
    if (isNotFound(err)) return blank(room);
    throw err;
  }
}

/** Every row of the person's partition, by room. */
export async function readRows(userId: string): Promise<Map<string, ReadRow>> {
  const client = await table('readstate');
  return storage(async () => {
    const rows = new Map<string, ReadRow>();
    const filter = `PartitionKey eq '${odata(userId)}'`;
    for await (const e of client.listEntities<ReadEntity>({ queryOptions: { filter } })) {
      rows.set(e.rowKey, { room: e.rowKey, readSeq: e.readSeq, muted: e.muted, version: e.version });
    }
    return rows;
  });
}

/** A row as read, with the ETag a conditional write of it needs (none: no row yet). */
export interface TaggedRow {
  readonly row: ReadRow;
  readonly etag?: string;
}

export async function readTaggedRow(userId: string, room: string): Promise<TaggedRow> {
  const client = await table('readstate');
  try {
    const entity = await storage(() => client.getEntity<ReadEntity>(userId, room));
    return { row: { room, readSeq: entity.readSeq, muted: entity.muted, version: entity.version }, etag: entity.etag };
  } catch (err) {
    if (isNotFound(err)) return { row: blank(room) };
    throw err;
  }
}

/**
 * Writes `row` if the stored one is still the one read (`etag`; none: if there is none): the new
 * tagged row, or undefined when another writer got in first.
 */
export async function writeTaggedRow(
  userId: string,
  row: ReadRow,
  etag: string | undefined,
): Promise<TaggedRow | undefined> {
  const client = await table('readstate');
  const entity: ReadEntity = {
    partitionKey: userId,
    rowKey: row.room,
    readSeq: row.readSeq,
    muted: row.muted,
    version: row.version,
  };
  try {
    const written =
      etag === undefined
        ? await storage(() => client.createEntity(entity))
        : await storage(() => client.updateEntity(entity, 'Replace', { etag }));
    return { row, etag: written.etag };
  } catch (err) {
    if (isConflict(err) || isPreconditionFailed(err)) return undefined;
    throw err;
  }
}

export interface RowChange {
  /** False when the change asked for is what is stored already: nothing was written. */
  readonly changed: boolean;
  readonly row: ReadRow;
}

/**
 * Applies `change` to the stored row (or a blank one) under its ETag, reading again when another
 * writer got in first; `change` returns undefined for "nothing to do" and must not have effects.
 */
export async function changeRow(
  userId: string,
  room: string,
  change: (current: ReadRow) => Pick<ReadRow, 'readSeq' | 'muted'> | undefined,
): Promise<RowChange> {
  return writeRow(userId, room, change, false);
}

/**
 * Counts the row's `version` up, keeping the position and mute, when `applies(current)`: the
 * room's counts changed under a position that did not move (an edit changed whom an unread
 * message mentions), and clients take a `readState` only when its version is newer than theirs.
 * Count after it returns: a count taken later than the write of its version reflects every change
 * stored before that write, so whichever version is highest carries counts at least that fresh.
 */
export async function touchRow(
  userId: string,
  room: string,
  applies: (current: ReadRow) => boolean,
): Promise<RowChange> {
  return writeRow(userId, room, (current) => (applies(current) ? current : undefined), true);
}

async function writeRow(
  userId: string,
  room: string,
  change: (current: ReadRow) => Pick<ReadRow, 'readSeq' | 'muted'> | undefined,
  touch: boolean,
): Promise<RowChange> {
  const client = await table('readstate');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let current = blank(room);
    let etag: string | undefined;
    try {
      const entity = await storage(() => client.getEntity<ReadEntity>(userId, room));
      current = { room, readSeq: entity.readSeq, muted: entity.muted, version: entity.version };
      etag = entity.etag;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const next = change(current);
    if (!next || (!touch && next.readSeq === current.readSeq && next.muted === current.muted)) {
      return { changed: false, row: current };
    }
    const row: ReadRow = { room, readSeq: next.readSeq, muted: next.muted, version: current.version + 1 };
    const entity: ReadEntity = {
      partitionKey: userId,
      rowKey: room,
      readSeq: row.readSeq,
      muted: row.muted,
      version: row.version,
    };
    try {
      if (etag === undefined) await storage(() => client.createEntity(entity));
      else await storage(() => client.updateEntity(entity, 'Replace', { etag }));
      return { changed: true, row };
    } catch (err) {
      if (!isConflict(err) && !isPreconditionFailed(err)) throw err;
      // Another tab or device changed the row first: read it again and decide again.
    }
  }
  throw new Error(`read state of ${room}: gave up after ${MAX_ATTEMPTS} concurrent writers`);
}

/**
 * Unread and mention counts of a room after `readSeq` (capped): messages created after it, not
 * sent by the person and not deleted, from the room's unread index (messages/unread-index.ts,
 * which says what a count reads: never a message's row); mentions by people they blocked do not count.
 */
export function countUnread(
  room: string,
  userId: string,
  readSeq: number,
  blocked: () => Promise<IsBlocked> = blockedSendersOnce(userId),
): Promise<Counts> {
  return countUnreadIndexed(room, userId, readSeq, blocked);
}

/** `blocked`: the person's block set, read once however many rooms are counted with it. */
export async function readStateOf(
  userId: string,
  row: ReadRow,
  blocked: () => Promise<IsBlocked> = blockedSendersOnce(userId),
): Promise<ReadState> {
  return readStateFrom(row, await countUnread(row.room, userId, row.readSeq, blocked));
}

/** The state of a row with the counts of its room after `row.readSeq` ({@link countUnread}). */
export function readStateFrom(row: ReadRow, counts: Counts): ReadState {
  return { room: row.room, readSeq: row.readSeq, ...counts, muted: row.muted, version: row.version };
}

/**
 * Each person's read state of each room, in Table Storage: partition = user id, row = room, so
 * "all my rooms" is one partition query and every change is one row updated under its ETag.
 *
 * The row holds the read position (`readSeq`, a change number of the room's log), the person's
 * notification level of the room (`notify`; rows from before levels hold only `muted`, which reads
 * as `nothing`, else `mentions`; `muted` is still written, true for `nothing`) and a `version` that
 * counts up with every stored change. Moving the position forward keeps the
 * higher of the stored and the asked-for number, so two tabs racing never move it back; only
 * "mark as unread" sets it lower. Counts are not stored: they are counted from the room's unread
 * index, written with the log (see {@link countUnread}), so they agree with the log whatever was
 * edited, deleted or marked.
 */
import type { NotifyLevel, ReadState } from '../../../contract';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import { countUnreadIndexed } from '../messages/room-log';
import type { Counts } from '../messages/unread-index';
import { blockedSendersOnce, type IsBlocked } from '../people/blocks-store';

export type { Counts };

type ReadEntity = {
  partitionKey: string;
  rowKey: string;
  readSeq: number;
  muted: boolean;
  notify?: NotifyLevel;
  version: number;
};

export interface ReadRow {
  readonly room: string;
  /** 0 for a room the person never marked: everything in it is unread (counts capped). */
  readonly readSeq: number;
  /** What of the room notifies the person (docs/push.md); `mentions` unless they chose. */
  readonly notify: NotifyLevel;
  readonly version: number;
}

/** The row's level: rows from before levels say only whether the room is muted. */
const levelOf = (entity: ReadEntity): NotifyLevel => entity.notify ?? (entity.muted ? 'nothing' : 'mentions');

const rowOf = (room: string, entity: ReadEntity): ReadRow => ({
  room,
  readSeq: entity.readSeq,
  notify: levelOf(entity),
  version: entity.version,
});

const entityOf = (userId: string, row: ReadRow): ReadEntity => ({
  partitionKey: userId,
  rowKey: row.room,
  readSeq: row.readSeq,
  muted: row.notify === 'nothing',
  notify: row.notify,
  version: row.version,
});

const MAX_ATTEMPTS = 10;

export const blankRow = (room: string): ReadRow => ({ room, readSeq: 0, notify: 'mentions', version: 0 });

export async function readRow(userId: string, room: string): Promise<ReadRow> {
  const client = await table('readstate');
  try {
    const entity = await storage(() => client.getEntity<ReadEntity>(userId, room));
    return rowOf(room, entity);
  } catch (err) {
    if (isNotFound(err)) return blankRow(room);
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
      rows.set(e.rowKey, rowOf(e.rowKey, e));
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
    return { row: rowOf(room, entity), etag: entity.etag };
  } catch (err) {
    if (isNotFound(err)) return { row: blankRow(room) };
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
  const entity = entityOf(userId, row);
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
  change: (current: ReadRow) => Pick<ReadRow, 'readSeq' | 'notify'> | undefined,
): Promise<RowChange> {
  return writeRow(userId, room, change, false);
}

/**
 * Counts the row's `version` up, keeping the position and level, when `applies(current)`: the
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
  change: (current: ReadRow) => Pick<ReadRow, 'readSeq' | 'notify'> | undefined,
  touch: boolean,
): Promise<RowChange> {
  const client = await table('readstate');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let current = blankRow(room);
    let etag: string | undefined;
    try {
      const entity = await storage(() => client.getEntity<ReadEntity>(userId, room));
      current = rowOf(room, entity);
      etag = entity.etag;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const next = change(current);
    if (!next || (!touch && next.readSeq === current.readSeq && next.notify === current.notify)) {
      return { changed: false, row: current };
    }
    const row: ReadRow = { room, readSeq: next.readSeq, notify: next.notify, version: current.version + 1 };
    const entity = entityOf(userId, row);
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
  return {
    room: row.room,
    readSeq: row.readSeq,
    ...counts,
    muted: row.notify === 'nothing',
    notify: row.notify,
    version: row.version,
  };
}

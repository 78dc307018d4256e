/**
 * Notification levels (docs/push.md): what of a room notifies a person, `all`, `mentions` (the
 * default) or `nothing`, kept with their read state of the room (read-state-store.ts). Who chose
 * `all` in a room is also written to the room's partition of `push`, `all_<room>` (row: their id),
 * so a send finds them with one partition query instead of reading every member's read state. The
 * read state is the truth: the index row is written after it, from what it stored, and a push reads
 * each candidate's level again, so a stale index row costs one read and never a push.
 */
import type { NotifyLevel } from '../../../contract';
import { isNotFound, odata, storage, table } from '../../platform/storage/tables';
import { changeRow, type RowChange } from '../read-state/read-state-store';

type AllEntity = { partitionKey: string; rowKey: string };

const allPartition = (room: string) => `all_${room}`;

/** Sets the person's level of the room (their read position is kept) and the room's `all` index. */
export async function setNotifyLevel(userId: string, room: string, level: NotifyLevel): Promise<RowChange> {
  const result = await changeRow(userId, room, (current) => ({ readSeq: current.readSeq, notify: level }));
  await indexLevel(userId, room, result.row.notify);
  return result;
}

async function indexLevel(userId: string, room: string, level: NotifyLevel): Promise<void> {
  const client = await table('push');
  if (level === 'all') {
    await storage(() =>
      client.upsertEntity<AllEntity>({ partitionKey: allPartition(room), rowKey: userId }, 'Replace'),
    );
    return;
  }
  try {
    await storage(() => client.deleteEntity(allPartition(room), userId));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Ids of the people whose level of the room is `all` (as indexed: check each one's read state). */
export async function allLevelOf(room: string): Promise<string[]> {
  const client = await table('push');
  return storage(async () => {
    const ids: string[] = [];
    const filter = `PartitionKey eq '${odata(allPartition(room))}'`;
    for await (const row of client.listEntities<AllEntity>({ queryOptions: { filter, select: ['RowKey'] } })) {
      ids.push(row.rowKey);
    }
    return ids;
  });
}

/**
 * Each person's memberships, in their own partition of `memberships`, `user_<userId>`, beside a
 * version row: every change of one person's memberships updates that row under its ETag in the
 * same transaction, so the changes of one person are serialised and "am I a member" is one read.
 * Leaving keeps the row as a tombstone (`left`), so a `connected` event can remove exactly the
 * groups of rooms left (a lost or overtaken `remove`) without touching the others; `connected`
 * deletes tombstones older than {@link TOMBSTONE_KEEP_MS}. `general` has no rows: everyone is in it.
 */
import type { TransactionAction } from '@azure/data-tables';

import { GENERAL_ROOM } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';

type MembershipEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  joinedAt: string;
  /** Set when the person left: the row stays as a tombstone, so `connected` knows to remove that group. */
  left?: boolean;
  /**
   * Whether the person moderates the room (created it), so listing their rooms needs no read of
   * each room's row. Rows written before it existed lack it: those rooms are read as before.
   */
  moderator?: boolean;
  leftAt?: string;
};

type VersionEntity = { partitionKey: string; rowKey: typeof VERSION_ROW; version: number };

/** Sorts after every room name ([a-z0-9-]), so it is never mistaken for one. */
const VERSION_ROW = '~version';

const USER_PARTITION = 'user_';
const byUser = (userId: string) => `${USER_PARTITION}${userId}`;

export async function isMember(room: string, userId: string): Promise<boolean> {
  if (room === GENERAL_ROOM) return true;
  const client = await table('memberships');
  try {
    const row = await storage(() => client.getEntity<MembershipEntity>(byUser(userId), room));
    return row.left !== true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** The version of the person's memberships: how many changes they had (0 before the first). */
export async function membershipVersion(userId: string): Promise<number> {
  const client = await table('memberships');
  return storage(() => client.getEntity<VersionEntity>(byUser(userId), VERSION_ROW)).then(
    (row) => row.version,
    (err: unknown) => {
      if (isNotFound(err)) return 0;
      throw err;
    },
  );
}

/**
 * Writes one person's membership of one room, serialised with every other membership change of
 * that person (the version row's ETag). The room's index follows in membership-changes.ts.
 */
export async function writeMembership(
  room: string,
  user: Principal,
  member: boolean,
  moderator = false,
): Promise<void> {
  const client = await table('memberships');
  const partitionKey = byUser(user.id);
  for (let attempt = 0; attempt < 10; attempt++) {
    const [version, present] = await Promise.all([
      storage(() => client.getEntity<VersionEntity>(partitionKey, VERSION_ROW)).catch(
        (err: unknown): VersionEntity & { etag?: string } => {
          if (!isNotFound(err)) throw err;
          return { partitionKey, rowKey: VERSION_ROW, version: 0 };
        },
      ),
      isMember(room, user.id),
    ]);
    if (present === member && version.etag) break;
    const next: VersionEntity = { partitionKey, rowKey: VERSION_ROW, version: version.version + 1 };
    const actions: TransactionAction[] = [
      version.etag ? ['update', next, 'Replace', { etag: version.etag }] : ['create', next],
    ];
    if (member) {
      const row: MembershipEntity = {
        partitionKey,
        rowKey: room,
        name: room,
        joinedAt: new Date().toISOString(),
        moderator,
      };
      actions.push(['upsert', row, 'Replace']);
    } else if (present) {
      const tombstone: MembershipEntity = {
        partitionKey,
        rowKey: room,
        name: room,
        joinedAt: '',
        left: true,
        leftAt: new Date().toISOString(),
      };
      actions.push(['upsert', tombstone, 'Replace']);
    }
    try {
      await storage(() => client.submitTransaction(actions));
      break;
    } catch (err) {
      // Another change of this person's memberships committed first: read again and retry.
      if (!isPreconditionFailed(err) && !isConflict(err) && !isNotFound(err)) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
  }
}

/** Names of the rooms (and DMs) the user is in, `general` excluded: one partition query. */
export async function roomsOf(userId: string): Promise<string[]> {
  return (await membershipsOf(userId)).rooms;
}

/**
 * How long a tombstone is kept. Every `connected` event of the person in that time sends the
 * `remove` for it, so after a month it has either been applied or the person never connected;
 * either way the row only costs a read on every connect from then on.
 */
export const TOMBSTONE_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

export interface Memberships {
  readonly rooms: string[];
  /** Of each room in `rooms`, whether the person moderates it; missing for rows older than the flag. */
  readonly moderates: ReadonlyMap<string, boolean>;
  /** Rooms left (tombstones), the stale ones included. */
  readonly left: string[];
  /** Tombstones older than {@link TOMBSTONE_KEEP_MS}, with the ETag they were read with. */
  readonly stale: { readonly room: string; readonly etag: string }[];
}

/** The rooms the user is in and the rooms they have left (tombstones), from one partition query. */
export async function membershipsOf(userId: string, now = Date.now()): Promise<Memberships> {
  const client = await table('memberships');
  return storage(async () => {
    const rooms: string[] = [];
    const moderates = new Map<string, boolean>();
    const left: string[] = [];
    const stale: { room: string; etag: string }[] = [];
    const filter = `PartitionKey eq '${odata(byUser(userId))}' and RowKey ne '${VERSION_ROW}'`;
    const select = ['RowKey', 'left', 'leftAt', 'moderator'];
    for await (const row of client.listEntities<MembershipEntity>({ queryOptions: { filter, select } })) {
      if (row.left !== true) {
        rooms.push(row.rowKey);
        if (typeof row.moderator === 'boolean') moderates.set(row.rowKey, row.moderator);
        continue;
      }
      left.push(row.rowKey);
      const leftAt = Date.parse(row.leftAt ?? '');
      if (row.etag && Number.isFinite(leftAt) && now - leftAt > TOMBSTONE_KEEP_MS) {
        stale.push({ room: row.rowKey, etag: row.etag });
      }
    }
    return { rooms, moderates, left, stale };
  });
}

/**
 * Deletes stale tombstones, each only if unchanged since it was read (a rejoin replaces the row and
 * changes its ETag, so a racing join is never undone). Not being a member is the same with or
 * without the tombstone, so the version row is left alone.
 */
export async function forgetTombstones(userId: string, stale: Memberships['stale']): Promise<void> {
  if (stale.length === 0) return;
  const client = await table('memberships');
  await Promise.all(
    stale.map(async ({ room, etag }) => {
      try {
        await storage(() => client.deleteEntity(byUser(userId), room, { etag }));
      } catch (err) {
        if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
      }
    }),
  );
}

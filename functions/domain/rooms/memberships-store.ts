/**
 * Each person's memberships, in their own partition of `memberships`, `user_<userId>`, beside a
 * version row: every change of one person's memberships updates that row under its ETag in the
 * same transaction, so the changes of one person are serialised and "am I a member" is one read.
 * Leaving keeps the row as a tombstone (`left`), so a `connected` event can remove exactly the
 * groups of rooms left (a lost or overtaken `remove`) without touching the others; `connected`
 * deletes tombstones older than {@link TOMBSTONE_KEEP_MS}. `general` has no rows: everyone is in it.
 */
import type { TransactionAction } from '@azure/data-tables';

import { GENERAL_ROOM, type RoomRole } from '../../../contract';
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
   * Superseded by `role`; still read on rows written before it.
   */
  moderator?: boolean;
  /** The person's role in the room (docs/behaviour.md, Rooms, roles and moderation). */
  role?: RoomRole;
  /** On a tombstone: banned, so a join or an add is refused, and the row is never forgotten. */
  banned?: boolean;
  leftAt?: string;
};

type VersionEntity = { partitionKey: string; rowKey: typeof VERSION_ROW; version: number };

/** Sorts after every room name ([a-z0-9-]), so it is never mistaken for one. */
const VERSION_ROW = '~version';

const USER_PARTITION = 'user_';
const byUser = (userId: string) => `${USER_PARTITION}${userId}`;

/** One person's membership of one room, as their row says. */
export interface MembershipState {
  readonly member: boolean;
  /**
   * Their role while a member; undefined on a row written before roles (the room's creator is
   * then its owner: rooms-store.ts roleIn).
   */
  readonly role?: RoomRole;
  readonly banned: boolean;
  /** When they (last) joined; '' on rows that do not say. */
  readonly joinedAt: string;
}

const OUT: MembershipState = { member: false, banned: false, joinedAt: '' };

function stateOf(row: MembershipEntity | undefined): MembershipState {
  if (!row) return OUT;
  if (row.left === true) return { member: false, banned: row.banned === true, joinedAt: '' };
  const role = row.role ?? (row.moderator === true ? 'owner' : row.moderator === false ? 'member' : undefined);
  return { member: true, banned: false, joinedAt: row.joinedAt, ...(role && { role }) };
}

/** The person's membership of the room: one point read (`general`: everyone is a member). */
export async function membershipOf(room: string, userId: string): Promise<MembershipState> {
  if (room === GENERAL_ROOM) return { member: true, banned: false, joinedAt: '' };
  const client = await table('memberships');
  try {
    return stateOf(await storage(() => client.getEntity<MembershipEntity>(byUser(userId), room)));
  } catch (err) {
    if (isNotFound(err)) return OUT;
    throw err;
  }
}

export async function isMember(room: string, userId: string): Promise<boolean> {
  return (await membershipOf(room, userId)).member;
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

/** What a membership change makes of the row: in with a role, or out (a tombstone, maybe banned). */
export type MembershipWrite =
  { readonly member: true; readonly role: RoomRole } | { readonly member: false; readonly banned: boolean };

/**
 * Changes one person's membership of one room, serialised with every other membership change of
 * that person (the version row's ETag): `decide` sees the row as it is and answers the write, or
 * undefined for none. It may run again (another change committed first), so it must not have
 * side effects. The room's index follows in membership-changes.ts.
 */
export async function updateMembership(
  room: string,
  user: Principal,
  decide: (current: MembershipState) => MembershipWrite | undefined,
): Promise<void> {
  const client = await table('memberships');
  const partitionKey = byUser(user.id);
  for (let attempt = 0; attempt < 10; attempt++) {
    const [version, row] = await Promise.all([
      storage(() => client.getEntity<VersionEntity>(partitionKey, VERSION_ROW)).catch(
        (err: unknown): VersionEntity & { etag?: string } => {
          if (!isNotFound(err)) throw err;
          return { partitionKey, rowKey: VERSION_ROW, version: 0 };
        },
      ),
      storage(() => client.getEntity<MembershipEntity>(partitionKey, room)).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
        return undefined;
      }),
    ]);
    const current = stateOf(row);
    const write = decide(current);
    if (!write && version.etag) break;
    const next: VersionEntity = { partitionKey, rowKey: VERSION_ROW, version: version.version + 1 };
    const actions: TransactionAction[] = [
      version.etag ? ['update', next, 'Replace', { etag: version.etag }] : ['create', next],
    ];
    if (write?.member) {
      const entity: MembershipEntity = {
        partitionKey,
        rowKey: room,
        name: room,
        // A role change keeps when they joined (the order ownership passes in).
        joinedAt: current.member && current.joinedAt ? current.joinedAt : new Date().toISOString(),
        moderator: write.role !== 'member',
        role: write.role,
      };
      actions.push(['upsert', entity, 'Replace']);
    } else if (write && (current.member || write.banned !== current.banned)) {
      const tombstone: MembershipEntity = {
        partitionKey,
        rowKey: room,
        name: room,
        joinedAt: '',
        left: true,
        ...(write.banned && { banned: true }),
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
  /** Of each room in `rooms`, the person's role; missing for rows older than roles (rooms-store.ts roleIn). */
  readonly roles: ReadonlyMap<string, RoomRole>;
  /** Rooms left (tombstones), the stale ones included. */
  readonly left: string[];
  /** Tombstones older than {@link TOMBSTONE_KEEP_MS}, with the ETag they were read with (never a ban). */
  readonly stale: { readonly room: string; readonly etag: string }[];
}

/** The rooms the user is in and the rooms they have left (tombstones), from one partition query. */
export async function membershipsOf(userId: string, now = Date.now()): Promise<Memberships> {
  const client = await table('memberships');
  return storage(async () => {
    const rooms: string[] = [];
    const roles = new Map<string, RoomRole>();
    const left: string[] = [];
    const stale: { room: string; etag: string }[] = [];
    const filter = `PartitionKey eq '${odata(byUser(userId))}' and RowKey ne '${VERSION_ROW}'`;
    const select = ['RowKey', 'left', 'leftAt', 'moderator', 'role', 'banned'];
    for await (const row of client.listEntities<MembershipEntity>({ queryOptions: { filter, select } })) {
      if (row.left !== true) {
        rooms.push(row.rowKey);
        const { role } = stateOf(row);
        if (role) roles.set(row.rowKey, role);
        continue;
      }
      left.push(row.rowKey);
      const leftAt = Date.parse(row.leftAt ?? '');
      if (row.etag && row.banned !== true && Number.isFinite(leftAt) && now - leftAt > TOMBSTONE_KEEP_MS) {
        stale.push({ room: row.rowKey, etag: row.etag });
      }
    }
    return { rooms, roles, left, stale };
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

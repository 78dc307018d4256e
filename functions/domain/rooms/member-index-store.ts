/**
 * Each room's members, in its own partition of `memberships`, `members_<room>` (who is in it, for
 * the `@` list and `@room`, in one partition query). A person's row is written after their change
 * commits (memberships-store.ts), from what their partition says then, and carries the version it
 * was read at: a write never replaces a row of a later version, so racing joins and leaves end
 * with the index saying what the memberships say.
 */
import type { RoomRole } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { pageOf, type PrefixPageQuery, startsWith } from '../../platform/storage/paged-query';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import { findUser } from '../people/people-store';
import { membershipOf, membershipsOf, type MembershipState, membershipVersion } from './memberships-store';

/** A room's index row of one person: `members_<room>` / user id. */
type MemberIndexEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  /** The name lower-cased: what a search by prefix compares. */
  nameKey: string;
  /** Written as false for members too: a filter on a property an entity lacks matches nothing. */
  left: boolean;
  /** The person's membership version this row was read at. */
  version: number;
  /** Their role while a member (missing on rows from before roles, and for the creator of an old room). */
  role?: RoomRole;
  /** When they joined ('' if their row does not say): ownership passes to the longest-standing. */
  joinedAt?: string;
  /** Written as false for everyone else, so the bans list is one filtered partition query. */
  banned?: boolean;
};

const membersPartition = (room: string) => `members_${room}`;

/**
 * Writes the room's index row of one person from their partition as it is now, and answers their
 * membership as read. The version is read before the membership, so the state written is at least as
 * new as the version it is labelled with; a row already at that version or later is left alone, and
 * the change that made the latest version always gets to write it. Leaving keeps the row (`left`),
 * so the version survives and an older answer cannot bring the person back.
 */
export async function indexMembership(room: string, user: Principal): Promise<MembershipState> {
  const client = await table('memberships');
  const partitionKey = membersPartition(room);
  for (let attempt = 0; attempt < 10; attempt++) {
    const [version, current, known] = await Promise.all([
      membershipVersion(user.id),
      storage(() => client.getEntity<MemberIndexEntity>(partitionKey, user.id)).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      }),
      // The name Hubbub shows (one the person chose outlives the platform's in the principal).
      findUser(user.id),
    ]);
    const state = await membershipOf(room, user.id);
    const member = state.member;
    if (current && current.version >= version) return state;
    // A change made by someone else (an add, a removal) knows the person by id only: keep the name.
    const name =
      known?.name ?? ((member || !current) && user.name !== user.id ? user.name : (current?.name ?? user.name));
    const row: MemberIndexEntity = {
      partitionKey,
      rowKey: user.id,
      name,
      nameKey: name.toLowerCase(),
      left: !member,
      version,
      ...(state.role && { role: state.role }),
      joinedAt: state.joinedAt,
      banned: state.banned,
    };
    try {
      await storage(() =>
        current?.etag ? client.updateEntity(row, 'Replace', { etag: current.etag }) : client.createEntity(row),
      );
      return state;
    } catch (err) {
      // Another change of this person's membership wrote first: read both again.
      if (!isPreconditionFailed(err) && !isConflict(err)) throw err;
    }
  }
  return membershipOf(room, user.id);
}

/** Ids of the members of a room, from its index (`general` has no rows: everyone is in it). */
export async function membersOf(room: string): Promise<string[]> {
  const client = await table('memberships');
  return storage(async () => {
    const ids: string[] = [];
    const filter = `PartitionKey eq '${odata(membersPartition(room))}' and left eq false`;
    for await (const row of client.listEntities<MemberIndexEntity>({ queryOptions: { filter, select: ['RowKey'] } })) {
      ids.push(row.rowKey);
    }
    return ids;
  });
}

/**
 * A page of a room's members (those whose name starts with `query`, without regard to case), in id
 * order: one partition query. Not for `general`, whose members are everyone (the people list).
 */
export async function listMembers(
  room: string,
  page: PrefixPageQuery,
): Promise<{ members: IndexedMember[]; cursor?: string }> {
  const client = await table('memberships');
  const prefix = page.query.toLowerCase();
  const filter =
    `PartitionKey eq '${odata(membersPartition(room))}' and left eq false` +
    (prefix ? ` and ${startsWith('nameKey', prefix)}` : '');
  const select = ['RowKey', 'name', 'role', 'joinedAt'];
  const { entities, cursor } = await pageOf<MemberIndexEntity>(client, { filter, select }, page);
  const members = entities.map((row) => indexed(row));
  return cursor ? { members, cursor } : { members };
}

/** A member as the room's index has them: `role` undefined on rows from before roles. */
export interface IndexedMember extends Principal {
  readonly role?: RoomRole;
  readonly joinedAt: string;
}

const indexed = (row: MemberIndexEntity): IndexedMember => ({
  id: row.rowKey,
  name: row.name,
  ...(row.role && { role: row.role }),
  joinedAt: row.joinedAt ?? '',
});

/** The person's index row, if they ever had one (a member, or someone who left or was banned). */
export async function indexedPerson(
  room: string,
  userId: string,
): Promise<(IndexedMember & { member: boolean }) | undefined> {
  const client = await table('memberships');
  try {
    const row = await storage(() => client.getEntity<MemberIndexEntity>(membersPartition(room), userId));
    return { ...indexed(row), member: !row.left };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Whom ownership passes to when the owner goes: the longest-standing admin, else the longest-standing
 * member (rows that do not say when they joined count as the oldest; then by id). Reads the room's
 * whole index: the one membership step whose cost grows with the room (docs/http-api.md).
 */
export async function successorsOf(room: string, leaving: string): Promise<IndexedMember[]> {
  const client = await table('memberships');
  return storage(async () => {
    const all: IndexedMember[] = [];
    const filter = `PartitionKey eq '${odata(membersPartition(room))}' and left eq false`;
    const select = ['RowKey', 'name', 'role', 'joinedAt'];
    for await (const row of client.listEntities<MemberIndexEntity>({ queryOptions: { filter, select } })) {
      if (row.rowKey !== leaving) all.push(indexed(row));
    }
    const rank = (m: IndexedMember) => (m.role === 'admin' ? 0 : 1);
    return all.sort((a, b) => rank(a) - rank(b) || a.joinedAt.localeCompare(b.joinedAt) || a.id.localeCompare(b.id));
  });
}

/** A page of the room's banned people (owner and admins see it). */
export async function listBanned(
  room: string,
  page: PrefixPageQuery,
): Promise<{ members: Principal[]; cursor?: string }> {
  const client = await table('memberships');
  const filter = `PartitionKey eq '${odata(membersPartition(room))}' and banned eq true`;
  const { entities, cursor } = await pageOf<MemberIndexEntity>(client, { filter, select: ['RowKey', 'name'] }, page);
  const members = entities.map((row) => ({ id: row.rowKey, name: row.name }));
  return cursor ? { members, cursor } : { members };
}

/**
 * A renamed person's row in the index of every room they are in or have left (the `@` list and
 * bans search by it): one write per room, `CONCURRENCY` at a time. A row that is not there is left
 * alone; a membership change racing the rename reads the new name (indexMembership).
 */
export async function renameInRooms(userId: string, name: string): Promise<void> {
  const client = await table('memberships');
  const { rooms, left } = await membershipsOf(userId);
  const all = [...rooms, ...left];
  for (let i = 0; i < all.length; i += RENAME_CONCURRENCY) {
    await Promise.all(
      all.slice(i, i + RENAME_CONCURRENCY).map(async (room) => {
        try {
          await storage(() =>
            client.updateEntity(
              { partitionKey: membersPartition(room), rowKey: userId, name, nameKey: name.toLowerCase() },
              'Merge',
              { etag: '*' },
            ),
          );
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }),
    );
  }
}

const RENAME_CONCURRENCY = 20;

/**
 * Each room's members, in its own partition of `memberships`, `members_<room>` (who is in it, for
 * the `@` list and `@room`, in one partition query). A person's row is written after their change
 * commits (memberships-store.ts), from what their partition says then, and carries the version it
 * was read at: a write never replaces a row of a later version, so racing joins and leaves end
 * with the index saying what the memberships say.
 */
import type { Principal } from '../../platform/http/identity';
import { pageOf, type PrefixPageQuery, startsWith } from '../../platform/storage/paged-query';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import { isMember, membershipVersion } from './memberships-store';

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
};

const membersPartition = (room: string) => `members_${room}`;

/**
 * Writes the room's index row of one person from their partition as it is now, and answers whether
 * they are a member. The version is read before the membership, so the state written is at least as
 * new as the version it is labelled with; a row already at that version or later is left alone, and
 * the change that made the latest version always gets to write it. Leaving keeps the row (`left`),
 * so the version survives and an older answer cannot bring the person back.
 */
export async function indexMembership(room: string, user: Principal): Promise<boolean> {
  const client = await table('memberships');
  const partitionKey = membersPartition(room);
  for (let attempt = 0; attempt < 10; attempt++) {
    const [version, current] = await Promise.all([
      membershipVersion(user.id),
      storage(() => client.getEntity<MemberIndexEntity>(partitionKey, user.id)).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      }),
    ]);
    const member = await isMember(room, user.id);
    if (current && current.version >= version) return member;
    const row: MemberIndexEntity = {
      partitionKey,
      rowKey: user.id,
      name: member || !current ? user.name : current.name,
      nameKey: (member || !current ? user.name : current.name).toLowerCase(),
      left: !member,
      version,
    };
    try {
      await storage(() =>
        current?.etag ? client.updateEntity(row, 'Replace', { etag: current.etag }) : client.createEntity(row),
      );
      return member;
    } catch (err) {
      // Another change of this person's membership wrote first: read both again.
      if (!isPreconditionFailed(err) && !isConflict(err)) throw err;
    }
  }
  return isMember(room, user.id);
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
): Promise<{ members: Principal[]; cursor?: string }> {
  const client = await table('memberships');
  const prefix = page.query.toLowerCase();
  const filter =
    `PartitionKey eq '${odata(membersPartition(room))}' and left eq false` +
    (prefix ? ` and ${startsWith('nameKey', prefix)}` : '');
  const { entities, cursor } = await pageOf<MemberIndexEntity>(client, { filter, select: ['RowKey', 'name'] }, page);
  const members = entities.map((row) => ({ id: row.rowKey, name: row.name }));
  return cursor ? { members, cursor } : { members };
}

/**
 * Rooms: a row each in the `rooms` table. `general` always exists and everyone is in it, so it has
 * no rows.
 *
 * Partitioning (Table Storage serves about 2,000 entities/s per partition, so no global path may
 * sit in one):
 * - a room's row is in `room_<first character>` (37 partitions, listed in name order; private and
 *   archived rooms are skipped when listing, so a page may hold fewer than its limit);
 * - a direct message's row is in `dm_<two hex digits of its hashed name>` (256 partitions), and each
 *   of its two people has a copy in their own `dms_<userId>` partition (their DM list, one query).
 *
 * Who is in a room: memberships-store.ts (each person's rooms) and member-index-store.ts (each
 * room's members), both changed through membership-changes.ts.
 */

import { DM_PREFIX, GENERAL_ROOM, type Room, type RoomKind, type RoomRole } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { pageOf, type PrefixPageQuery, startsWith } from '../../platform/storage/paged-query';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import { dmRoomName } from '../people/dm-names';
import { addMember } from './membership-changes';
import { isMember, membershipsOf, type MembershipState } from './memberships-store';
import { moderators, workspaceAdmins } from './moderators';

export const GENERAL = GENERAL_ROOM;

type RoomEntity = {
  partitionKey: string;
  rowKey: string;
  kind: RoomKind;
  title: string;
  createdBy: string;
  createdAt: string;
  /** DMs: JSON of the two members. */
  members?: string;
  /** Only members know it exists (visibleRoom). */
  private?: boolean;
  topic?: string;
  /** Read-only, and out of the listing of rooms. */
  archived?: boolean;
  /** Private rooms: false when the owner lets only owner and admins add people (absent: every member may). */
  membersMayAdd?: boolean;
  /**
   * The owner's id, set when the room is created and when ownership passes. Rows from before roles
   * lack it: their creator is the owner (roleIn). The owner's membership row says so too.
   */
  owner?: string;
};

export type { RoomEntity };

const dmsOf = (userId: string) => `dms_${userId}`;
/** The partition of a room's row, from its name alone. */
export const roomPartition = (name: string) =>
  name.startsWith(DM_PREFIX) ? `dm_${name.slice(DM_PREFIX.length, DM_PREFIX.length + 2)}` : `room_${name[0] ?? ''}`;

const generalRoom = (viewer: Principal): Room => ({
  name: GENERAL,
  kind: 'room',
  title: 'general',
  joined: true,
  ...(moderates(GENERAL, undefined, viewer.id) && { moderator: true }),
});

/**
 * The person's role in a room, from their membership (undefined when not a member). A row from
 * before roles has none: the room's creator is then its owner, unless ownership has passed since.
 */
export function roleIn(
  entity: RoomEntity | undefined,
  membership: Pick<MembershipState, 'member' | 'role'>,
  userId: string,
): RoomRole | undefined {
  if (!membership.member) return undefined;
  return membership.role ?? (entity && entity.owner === undefined && entity.createdBy === userId ? 'owner' : 'member');
}

/**
 * Who may manage a room (remove, ban, set roles, change its title, topic and archive state, delete
 * any message): its owner and admins, and workspace admins (HUBBUB_ADMINS). In `general`, workspace
 * admins and moderators (HUBBUB_MODERATORS), who may delete any message. Direct messages: nobody.
 * The table by role: docs/behaviour.md, Rooms, roles and moderation.
 */
export function moderates(name: string, entity: RoomEntity | undefined, userId: string, role?: RoomRole): boolean {
  if (name === GENERAL) return moderators().has(userId) || workspaceAdmins().has(userId);
  if (entity?.kind !== 'room') return false;
  return role === 'owner' || role === 'admin' || workspaceAdmins().has(userId);
}

export async function getRoom(name: string): Promise<(RoomEntity & { etag?: string }) | undefined> {
  if (name === GENERAL) return undefined;
  const client = await table('rooms');
  try {
    return await storage(() => client.getEntity<RoomEntity>(roomPartition(name), name));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function roomExists(name: string): Promise<boolean> {
  return name === GENERAL || (await getRoom(name)) !== undefined;
}

/**
 * The room's row if `userId` may know it exists: every public room; a private room only for its
 * members; a DM only for its two people. Any other answers exactly as a room that does not exist
 * (docs/behaviour.md, Rooms, roles and moderation): this is the one rule every route asks.
 */
export async function visibleRoom(name: string, userId: string): Promise<RoomEntity | undefined> {
  const entity = await getRoom(name);
  if (entity?.kind === 'dm') return dmMembers(entity).some((person) => person.id === userId) ? entity : undefined;
  if (entity?.private) return (await isMember(name, userId)) ? entity : undefined;
  return entity;
}

/** Creates a room (private: only its members know it), the creator its owner; false when the name is taken. */
export async function createRoom(name: string, creator: Principal, isPrivate = false): Promise<boolean> {
  if (name === GENERAL || name.startsWith(DM_PREFIX)) return false;
  const client = await table('rooms');
  const entity: RoomEntity = {
    partitionKey: roomPartition(name),
    rowKey: name,
    kind: 'room',
    title: name,
    createdBy: creator.id,
    createdAt: new Date().toISOString(),
    owner: creator.id,
    ...(isPrivate && { private: true }),
  };
  try {
    await storage(() => client.createEntity(entity));
  } catch (err) {
    if (isConflict(err)) return false;
    throw err;
  }
  await addMember(name, creator, 'owner');
  return true;
}

/** What `PATCH` a room changes; '' clears the topic. */
export interface RoomChange {
  readonly title?: string;
  readonly topic?: string;
  readonly archived?: boolean;
  readonly membersMayAdd?: boolean;
  readonly owner?: string;
}

/** Changes a room's row (a merge under its ETag, read again on a conflict) and answers it as stored. */
export async function updateRoom(name: string, change: RoomChange): Promise<RoomEntity | undefined> {
  const client = await table('rooms');
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await getRoom(name);
    if (!current) return undefined;
    const { etag, ...rest } = current;
    const next: RoomEntity = { ...rest };
    delete (next as { timestamp?: unknown }).timestamp;
    if (change.title !== undefined) next.title = change.title;
    if (change.topic !== undefined) next.topic = change.topic;
    if (change.archived !== undefined) next.archived = change.archived;
    if (change.membersMayAdd !== undefined) next.membersMayAdd = change.membersMayAdd;
    if (change.owner !== undefined) next.owner = change.owner;
    try {
      await storage(() => client.updateEntity(next, 'Replace', { etag }));
      return next;
    } catch (err) {
      if (!isPreconditionFailed(err)) throw err;
    }
  }
  throw new Error(`The room ${name} kept changing`);
}

/**
 * Opens (or reopens) the DM of two people: the room row, each person's copy in their own list, and
 * memberships. Answers the room and whether each person is a member afterwards, as stored.
 *
 * The first opening adds both people; a later one adds only the caller, so someone who left stays
 * out until they open it again themselves. Both memberships are written before the room's row, so
 * an opening that failed part-way is a first opening again when retried.
 */
export async function openDm(
  me: Principal,
  other: Principal,
): Promise<{ name: string; entity: RoomEntity; mine: boolean; theirs: boolean; added: readonly string[] }> {
  const opened = await openConversation(me, [other]);
  return { ...opened, mine: opened.members.get(me.id) === true, theirs: opened.members.get(other.id) === true };
}

/**
 * Opens (or reopens) the conversation of `me` and `others` (one: a DM; 2-7: a group conversation),
 * as {@link openDm} does for two: the first opening adds everyone, a later one only the caller.
 * `members`: whether each person it added is a member afterwards, as stored.
 */
export async function openConversation(
  me: Principal,
  others: readonly Principal[],
): Promise<{ name: string; entity: RoomEntity; members: ReadonlyMap<string, boolean>; added: readonly string[] }> {
  const people = [me, ...others.filter((p) => p.id !== me.id)];
  const name = dmRoomName(...people.map((p) => p.id));
  const client = await table('rooms');
  const base = {
    rowKey: name,
    kind: 'dm' as const,
    title: 'direct message',
    createdBy: me.id,
    createdAt: new Date().toISOString(),
    members: JSON.stringify(people.map(({ id, name: personName }) => ({ id, name: personName }))),
  };
  const entity: RoomEntity = { ...base, partitionKey: roomPartition(name) };
  const existing = await getRoom(name);
  // Each person's list gets its copy (upsert: names may have changed), and the memberships are
  // written: each person's partition serialises separately, so all of it can go at once.
  const copies = people.map((p) =>
    storage(() => client.upsertEntity<RoomEntity>({ ...base, partitionKey: dmsOf(p.id) }, 'Replace')),
  );
  const added = existing ? [me] : people;
  const [states, theirs] = await Promise.all([
    Promise.all(added.map((p) => addMember(name, p))),
    existing ? Promise.all(people.slice(1).map((p) => isMember(name, p.id))) : Promise.resolve([]),
    Promise.all(copies),
  ]);
  if (!existing) {
    await storage(() => client.createEntity<RoomEntity>(entity)).catch((err: unknown) => {
      if (!isConflict(err)) throw err;
    });
  }
  const members = new Map(added.map((p, i) => [p.id, states[i] === true]));
  people.slice(1).forEach((p, i) => {
    if (existing) members.set(p.id, theirs[i] === true);
  });
  return { name, entity: existing ?? entity, members, added: added.map((p) => p.id) };
}

/** `query`: a name prefix (public rooms), or the other person's name prefix (DMs); lower-cased. */
export type RoomPageQuery = PrefixPageQuery;

/**
 * A page of rooms for the caller. The first page (no cursor) starts with everything of the
 * caller's own — `general`, the rooms they joined and their DMs (their two partitions) — and then,
 * like every later page, public rooms in name order, at most `limit`, with a cursor for the next.
 */
export async function listRooms(
  user: Principal,
  page: RoomPageQuery = { query: '', limit: 100 },
): Promise<{ rooms: Room[]; cursor?: string }> {
  const client = await table('rooms');
  const query = page.query.toLowerCase();
  const memberships = await membershipsOf(user.id);
  const mine = new Set(memberships.rooms);
  const rooms: Room[] = [];
  const seen = new Set<string>();
  const push = (room: Room) => {
    if (seen.has(room.name)) return;
    seen.add(room.name);
    rooms.push(room);
  };
  if (!page.cursor) {
    if (GENERAL.startsWith(query)) push(generalRoom(user));
    await storage(async () => {
      const filter = `PartitionKey eq '${odata(dmsOf(user.id))}'`;
      for await (const entity of client.listEntities<RoomEntity>({ queryOptions: { filter } })) {
        if (!mine.has(entity.rowKey)) continue;
        const room = toRoom(entity, user, true);
        if (room.title.toLowerCase().startsWith(query)) push(room);
      }
    });
    // Each joined room's row, in parallel: its title, topic, privacy and archive state can change.
    // Archived rooms stay on their members' first page (the SPA shows them under their own heading).
    const joined = [...mine].sort().filter((name) => !name.startsWith(DM_PREFIX) && name.startsWith(query));
    const entities = await Promise.all(joined.map((name) => getRoom(name)));
    joined.forEach((name, i) => {
      const entity = entities[i];
      if (entity)
        push(toRoom(entity, user, true, roleIn(entity, { member: true, role: memberships.roles.get(name) }, user.id)));
    });
  }
  // Public rooms: one partition when searching (the query's first character), else a range scan
  // over the room_ partitions, which Table Storage returns in (PartitionKey, RowKey) order.
  const filter =
    query === ''
      ? startsWith('PartitionKey', 'room_')
      : `PartitionKey eq '${odata(roomPartition(query))}' and ${startsWith('RowKey', query)}`;
  const result = await pageOf<RoomEntity>(client, { filter }, page);
  for (const entity of result.entities) {
    // The caller's own rooms were all on the first page; nobody else is shown private or archived ones.
    if (mine.has(entity.rowKey) || entity.private || entity.archived) continue;
    push(toRoom(entity, user, false));
  }
  return result.cursor ? { rooms, cursor: result.cursor } : { rooms };
}

/** The room as `viewer` sees it; `role` theirs when a member. */
export function toRoom(entity: RoomEntity, viewer: Principal, joined: boolean, role?: RoomRole): Room {
  if (entity.kind === 'dm') {
    const members = dmMembers(entity);
    // Titled by the other people's names (a group conversation: all of them, in the order opened).
    const others = members.filter((m) => m.id !== viewer.id);
    const title = (others.length > 0 ? others : members).map((m) => m.name).join(', ') || 'direct message';
    return { name: entity.rowKey, kind: 'dm', title, members, joined };
  }
  return {
    name: entity.rowKey,
    kind: 'room',
    title: entity.title,
    joined,
    ...(moderates(entity.rowKey, entity, viewer.id, joined ? role : undefined) && { moderator: true }),
    ...(entity.private && { private: true }),
    ...(entity.topic && { topic: entity.topic }),
    ...(entity.archived && { archived: true }),
    ...(entity.private && entity.membersMayAdd === false && { membersMayAdd: false }),
    ...(joined && role && { role }),
  };
}

export function roomFor(
  name: string,
  entity: RoomEntity | undefined,
  viewer: Principal,
  joined: boolean,
  role?: RoomRole,
): Room {
  return entity ? toRoom(entity, viewer, joined, role) : generalRoom(viewer);
}

/** The two people of a direct message, from its row (JSON); none without a row. */
export function dmMembers(entity: RoomEntity | undefined): Principal[] {
  return JSON.parse(entity?.members ?? '[]') as Principal[];
}

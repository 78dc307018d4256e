/**
 * Rooms: a row each in the `rooms` table. `general` always exists and everyone is in it, so it has
 * no rows.
 *
 * Partitioning (Table Storage serves about 2,000 entities/s per partition, so no global path may
 * sit in one):
 * - a public room's row is in `room_<first character>` (37 partitions, listed in name order);
 * - a direct message's row is in `dm_<two hex digits of its hashed name>` (256 partitions), and each
 *   of its two people has a copy in their own `dms_<userId>` partition (their DM list, one query).
 *
 * Who is in a room: memberships-store.ts (each person's rooms) and member-index-store.ts (each
 * room's members), both changed through membership-changes.ts.
 */
import { createHash } from 'node:crypto';

import { DM_PREFIX, GENERAL_ROOM, type Room, type RoomKind } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { pageOf, type PrefixPageQuery, startsWith } from '../../platform/storage/paged-query';
import { isConflict, isNotFound, odata, storage, table } from '../../platform/storage/tables';
import { addMember } from './membership-changes';
import { isMember, membershipsOf } from './memberships-store';
import { moderators } from './moderators';

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
};

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

/** Who may delete other people's messages: a room's creator; direct messages have none; `general` has its moderators. */
export function moderates(name: string, entity: RoomEntity | undefined, userId: string): boolean {
  if (name === GENERAL) return moderators().has(userId);
  return entity?.kind === 'room' && entity.createdBy === userId;
}

export async function getRoom(name: string): Promise<RoomEntity | undefined> {
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
 * The room's row if `userId` may know it exists: every public room; a DM only for its two people.
 * A DM between others answers exactly as one that does not exist (docs/security.md).
 */
export async function visibleRoom(name: string, userId: string): Promise<RoomEntity | undefined> {
  const entity = await getRoom(name);
  if (entity?.kind !== 'dm') return entity;
  return dmMembers(entity).some((person) => person.id === userId) ? entity : undefined;
}

/** Creates a public room; false when the name is taken. */
export async function createRoom(name: string, creator: Principal): Promise<boolean> {
  if (name === GENERAL || name.startsWith(DM_PREFIX)) return false;
  const client = await table('rooms');
  const entity: RoomEntity = {
    partitionKey: roomPartition(name),
    rowKey: name,
    kind: 'room',
    title: name,
    createdBy: creator.id,
    createdAt: new Date().toISOString(),
  };
  try {
    await storage(() => client.createEntity(entity));
  } catch (err) {
    if (isConflict(err)) return false;
    throw err;
  }
  await addMember(name, creator, true);
  return true;
}

/** The DM room of two people: the same name whichever of them asks, and no room name can collide. */
export function dmRoomName(a: string, b: string): string {
  const [first, second] = [a, b].sort();
  return `${DM_PREFIX}${createHash('sha256').update(`${first}\n${second}`).digest('hex').slice(0, 32)}`;
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
  const name = dmRoomName(me.id, other.id);
  const client = await table('rooms');
  const base = {
    rowKey: name,
    kind: 'dm' as const,
    title: 'direct message',
    createdBy: me.id,
    createdAt: new Date().toISOString(),
    members: JSON.stringify([me, other]),
  };
  const entity: RoomEntity = { ...base, partitionKey: roomPartition(name) };
  const existing = await getRoom(name);
  // Each person's list gets its copy (upsert: names may have changed), and the memberships are
  // written: two people's partitions serialise separately, so all of it can go at once.
  const copies = [dmsOf(me.id), dmsOf(other.id)].map((partitionKey) =>
    storage(() => client.upsertEntity<RoomEntity>({ ...base, partitionKey }, 'Replace')),
  );
  const [[mine, theirs]] = await Promise.all([
    Promise.all([addMember(name, me), existing ? isMember(name, other.id) : addMember(name, other)]),
    Promise.all(copies),
  ]);
  if (!existing) {
    await storage(() => client.createEntity<RoomEntity>(entity)).catch((err: unknown) => {
      if (!isConflict(err)) throw err;
    });
  }
  return { name, entity: existing ?? entity, mine, theirs, added: existing ? [me.id] : [me.id, other.id] };
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
    // Whether the caller moderates each is on their membership row; a row older than that flag
    // costs a point read of the room (in parallel). A public room's title is its name.
    const joined = [...mine].sort().filter((name) => !name.startsWith(DM_PREFIX) && name.startsWith(query));
    const entities = await Promise.all(
      joined.map((name) => (memberships.moderates.has(name) ? Promise.resolve(undefined) : getRoom(name))),
    );
    joined.forEach((name, i) => {
      const entity = entities[i];
      if (entity) {
        push(toRoom(entity, user, true));
        return;
      }
      const moderator = memberships.moderates.get(name) === true;
      push({ name, kind: 'room', title: name, joined: true, ...(moderator && { moderator: true }) });
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
    // The caller's own rooms were all on the first page.
    if (page.cursor && mine.has(entity.rowKey)) continue;
    push(toRoom(entity, user, mine.has(entity.rowKey)));
  }
  return result.cursor ? { rooms, cursor: result.cursor } : { rooms };
}

export function toRoom(entity: RoomEntity, viewer: Principal, joined: boolean): Room {
  if (entity.kind === 'dm') {
    const members = dmMembers(entity);
    const other = members.find((m) => m.id !== viewer.id) ?? members[0];
    return { name: entity.rowKey, kind: 'dm', title: other?.name ?? 'direct message', members, joined };
  }
  return {
    name: entity.rowKey,
    kind: 'room',
    title: entity.title,
    joined,
    ...(moderates(entity.rowKey, entity, viewer.id) && { moderator: true }),
  };
}

export function roomFor(name: string, entity: RoomEntity | undefined, viewer: Principal, joined: boolean): Room {
  return entity ? toRoom(entity, viewer, joined) : generalRoom(viewer);
}

/** The two people of a direct message, from its row (JSON); none without a row. */
export function dmMembers(entity: RoomEntity | undefined): Principal[] {
  return JSON.parse(entity?.members ?? '[]') as Principal[];
}

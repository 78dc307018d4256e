/**
 * Rooms and who is in them. `general` always exists and everyone is in it, so it has no rows.
 *
 * Partitioning (Table Storage serves about 2,000 entities/s per partition, so no global path may
 * sit in one):
 * - a public room's row is in `room_<first character>` (37 partitions, listed in name order);
 * - a direct message's row is in `dm_<two hex digits of its hashed name>` (256 partitions), and each
 *   of its two people has a copy in their own `dms_<userId>` partition (their DM list, one query);
 * - membership rows live in the member's own partition of `memberships`, `user_<userId>`, beside a
 *   version row: every change of one person's memberships updates that row under its ETag in the
 *   same transaction, so the changes of one person are serialised and "am I a member" is one read.
 *   Leaving keeps the row as a tombstone (`left`), so a `connected` event can remove exactly the
 *   groups of rooms left (a lost or overtaken `remove`) without touching the others; `connected`
 *   deletes tombstones older than {@link TOMBSTONE_KEEP_MS}.
 * - each room also lists its members in its own partition of `memberships`, `members_<room>` (who
 *   is in it, for the `@` list and `@room`, in one partition query). That row is written after the
 *   person's change commits, from what their partition says then, and carries the version it was
 *   read at: a write never replaces a row of a later version, so racing joins and leaves end with
 *   the index saying what the memberships say.
 */
import { createHash } from 'node:crypto';

import type { TransactionAction } from '@azure/data-tables';

import { DM_PREFIX, GENERAL_ROOM, type Room, type RoomKind } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { moderators } from '../messages/message-changes';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';

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

type VersionEntity = { partitionKey: string; rowKey: typeof VERSION_ROW; version: number };

/** Sorts after every room name ([a-z0-9-]), so it is never mistaken for one. */
const VERSION_ROW = '~version';

const USER_PARTITION = 'user_';
const byUser = (userId: string) => `${USER_PARTITION}${userId}`;
const dmsOf = (userId: string) => `dms_${userId}`;
const membersPartition = (room: string) => `members_${room}`;
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

export async function isMember(room: string, userId: string): Promise<boolean> {
  if (room === GENERAL) return true;
  const client = await table('memberships');
  try {
    const row = await storage(() => client.getEntity<MembershipEntity>(byUser(userId), room));
    return row.left !== true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
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
 * both memberships. Answers the room and whether each person is a member afterwards, as stored.
 */
export async function openDm(
  me: Principal,
  other: Principal,
): Promise<{ name: string; entity: RoomEntity; mine: boolean; theirs: boolean }> {
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
  // Each person's list gets its copy (upsert: names may have changed), and the room its row, at once.
  await Promise.all([
    ...[dmsOf(me.id), dmsOf(other.id)].map((partitionKey) =>
      storage(() => client.upsertEntity<RoomEntity>({ ...base, partitionKey }, 'Replace')),
    ),
    storage(() => client.createEntity<RoomEntity>(entity)).catch((err: unknown) => {
      if (!isConflict(err)) throw err;
    }),
  ]);
  // Two people's partitions: their changes serialise separately, so both can go at once.
  const [mine, theirs] = await Promise.all([addMember(name, me), addMember(name, other)]);
  return { name, entity, mine, theirs };
}

/**
 * Changes one person's membership of one room, serialised with every other membership change of
 * that person (the version row's ETag), and answers whether they are a member afterwards, as read
 * back from storage after the write: the SignalR group action a caller emits follows that answer,
 * never what it meant to do.
 */
export async function changeMembership(
  room: string,
  user: Principal,
  member: boolean,
  moderator = false,
): Promise<boolean> {
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
  return indexMembership(room, user);
}

/**
 * Writes the room's index row of one person from their partition as it is now, and answers whether
 * they are a member. The version is read before the membership, so the state written is at least as
 * new as the version it is labelled with; a row already at that version or later is left alone, and
 * the change that made the latest version always gets to write it. Leaving keeps the row (`left`),
 * so the version survives and an older answer cannot bring the person back.
 */
async function indexMembership(room: string, user: Principal): Promise<boolean> {
  const client = await table('memberships');
  const partitionKey = membersPartition(room);
  for (let attempt = 0; attempt < 10; attempt++) {
    const [version, current] = await Promise.all([
      storage(() => client.getEntity<VersionEntity>(byUser(user.id), VERSION_ROW)).then(
        (row) => row.version,
        (err: unknown) => {
          if (isNotFound(err)) return 0;
          throw err;
        },
      ),
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

/** `moderator`: the person created the room (see {@link moderates}); kept on their membership row. */
export async function addMember(room: string, user: Principal, moderator = false): Promise<boolean> {
  return changeMembership(room, user, true, moderator);
}

export async function removeMember(room: string, userId: string): Promise<boolean> {
  return changeMembership(room, { id: userId, name: userId }, false);
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

export interface RoomPageQuery {
  /** A name prefix (public rooms), or the other person's name prefix (DMs); lower-cased. */
  readonly query: string;
  readonly cursor?: string;
  readonly limit: number;
}

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
      ? "PartitionKey ge 'room_' and PartitionKey lt 'room`'"
      : `PartitionKey eq '${odata(roomPartition(query))}' and RowKey ge '${odata(query)}' and RowKey lt '${odata(successor(query))}'`;
  const result = await storage(async () => {
    const pages = client
      .listEntities<RoomEntity>({ queryOptions: { filter } })
      .byPage({ maxPageSize: page.limit, ...(page.cursor ? { continuationToken: page.cursor } : {}) });
    for await (const entities of pages) return { entities: [...entities], cursor: entities.continuationToken };
    return { entities: [], cursor: undefined };
  });
  for (const entity of result.entities) {
    // The caller's own rooms were all on the first page.
    if (page.cursor && mine.has(entity.rowKey)) continue;
    push(toRoom(entity, user, mine.has(entity.rowKey)));
  }
  return result.cursor ? { rooms, cursor: result.cursor } : { rooms };
}

/** The smallest string greater than every string that starts with `prefix`. */
export function successor(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

export function toRoom(entity: RoomEntity, viewer: Principal, joined: boolean): Room {
  if (entity.kind === 'dm') {
    const members = JSON.parse(entity.members ?? '[]') as Principal[];
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
  page: RoomPageQuery,
): Promise<{ members: Principal[]; cursor?: string }> {
  const client = await table('memberships');
  const prefix = page.query.toLowerCase();
  const filter =
    `PartitionKey eq '${odata(membersPartition(room))}' and left eq false` +
    (prefix ? ` and nameKey ge '${odata(prefix)}' and nameKey lt '${odata(successor(prefix))}'` : '');
  return storage(async () => {
    const pages = client
      .listEntities<MemberIndexEntity>({ queryOptions: { filter, select: ['RowKey', 'name'] } })
      .byPage({ maxPageSize: page.limit, ...(page.cursor ? { continuationToken: page.cursor } : {}) });
    for await (const rows of pages) {
      const members = rows.map((row) => ({ id: row.rowKey, name: row.name }));
      return rows.continuationToken ? { members, cursor: rows.continuationToken } : { members };
    }
    return { members: [] };
  });
}

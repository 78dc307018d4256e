/**
 * Rooms and who is in them. `general` always exists and everyone is in it, so it has no rows.
 * Membership is kept twice (by room and by user) so both "members of a room" and "my rooms" are
 * single-partition queries.
 */
import { createHash } from 'node:crypto';

import { DM_PREFIX, GENERAL_ROOM, type Room, type RoomKind } from '../../contract';
import type { Principal } from './identity';
import { isConflict, isNotFound, odata, storage, table } from './tables';

export const GENERAL = GENERAL_ROOM;

type RoomEntity = {
  partitionKey: 'room';
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
};

const byRoom = (room: string) => `room_${room}`;
const byUser = (userId: string) => `user_${userId}`;

const generalRoom = (): Room => ({ name: GENERAL, kind: 'room', title: 'general', joined: true });

export async function getRoom(name: string): Promise<RoomEntity | undefined> {
  if (name === GENERAL) return undefined;
  const client = await table('rooms');
  try {
    return await storage(() => client.getEntity<RoomEntity>('room', name));
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
    await storage(() => client.getEntity(byRoom(room), userId));
    return true;
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
    partitionKey: 'room',
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
  await addMember(name, creator);
  return true;
}

/** The DM room of two people: the same name whichever of them asks, and no room name can collide. */
export function dmRoomName(a: string, b: string): string {
  const [first, second] = [a, b].sort();
  return `${DM_PREFIX}${createHash('sha256').update(`${first}\n${second}`).digest('hex').slice(0, 32)}`;
}

export async function openDm(me: Principal, other: Principal): Promise<string> {
  const name = dmRoomName(me.id, other.id);
  const client = await table('rooms');
  const entity: RoomEntity = {
    partitionKey: 'room',
    rowKey: name,
    kind: 'dm',
    title: 'direct message',
    createdBy: me.id,
    createdAt: new Date().toISOString(),
    members: JSON.stringify([me, other]),
  };
  try {
    await storage(() => client.createEntity(entity));
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  await addMember(name, me);
  await addMember(name, other);
  return name;
}

export async function addMember(room: string, user: Principal): Promise<void> {
  const client = await table('memberships');
  const joinedAt = new Date().toISOString();
  await storage(() =>
    client.upsertEntity<MembershipEntity>({ partitionKey: byRoom(room), rowKey: user.id, name: user.name, joinedAt }),
  );
  await storage(() =>
    client.upsertEntity<MembershipEntity>({ partitionKey: byUser(user.id), rowKey: room, name: room, joinedAt }),
  );
}

export async function removeMember(room: string, userId: string): Promise<void> {
  const client = await table('memberships');
  for (const [pk, rk] of [
    [byUser(userId), room],
    [byRoom(room), userId],
  ] as const) {
    try {
      await storage(() => client.deleteEntity(pk, rk));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Names of the rooms (and DMs) the user is in, `general` excluded. */
export async function roomsOf(userId: string): Promise<string[]> {
  const client = await table('memberships');
  return storage(async () => {
    const names: string[] = [];
    const filter = `PartitionKey eq '${odata(byUser(userId))}'`;
    for await (const row of client.listEntities<MembershipEntity>({ queryOptions: { filter, select: ['RowKey'] } })) {
      names.push(row.rowKey);
    }
    return names;
  });
}

/** Every public room plus the user's DMs, with `joined` for the caller. */
export async function listRooms(user: Principal): Promise<Room[]> {
  const client = await table('rooms');
  const mine = new Set(await roomsOf(user.id));
  const rooms: Room[] = [generalRoom()];
  await storage(async () => {
    for await (const entity of client.listEntities<RoomEntity>({
      queryOptions: { filter: "PartitionKey eq 'room'" },
    })) {
      if (entity.kind === 'dm' && !mine.has(entity.rowKey)) continue;
      rooms.push(toRoom(entity, user, mine.has(entity.rowKey)));
    }
  });
  return rooms;
}

export function toRoom(entity: RoomEntity, viewer: Principal, joined: boolean): Room {
  if (entity.kind === 'dm') {
    const members = JSON.parse(entity.members ?? '[]') as Principal[];
    const other = members.find((m) => m.id !== viewer.id) ?? members[0];
    return { name: entity.rowKey, kind: 'dm', title: other?.name ?? 'direct message', members, joined };
  }
  return { name: entity.rowKey, kind: 'room', title: entity.title, joined };
}

export function roomFor(name: string, entity: RoomEntity | undefined, viewer: Principal, joined: boolean): Room {
  return entity ? toRoom(entity, viewer, joined) : generalRoom();
}

/** Ids of the members of a room (`general` has no rows: use the users list for it). */
export async function membersOf(room: string): Promise<string[]> {
  const client = await table('memberships');
  return storage(async () => {
    const ids: string[] = [];
    const filter = `PartitionKey eq '${odata(byRoom(room))}'`;
    for await (const row of client.listEntities<MembershipEntity>({ queryOptions: { filter, select: ['RowKey'] } })) {
      ids.push(row.rowKey);
    }
    return ids;
  });
}

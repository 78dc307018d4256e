/**
 * People Hubbub has seen (recorded when they negotiate) and their live connections.
 *
 * Partitioning (Table Storage serves about 2,000 entities/s per partition):
 * - a person's row is in `id_<two hex digits of a hash of their id>` (256 partitions);
 * - the name index, for paged listing and prefix search, is in `name_<first character of the
 *   lower-cased, URI-encoded name>`, one row per person keyed by that name then the id;
 * - presence has a partition per person, `u_<userId>`, one row per connection with when it was
 *   last seen (connected event or heartbeat). Online = a connection seen within PRESENCE_TTL_MS.
 */
import { createHash } from 'node:crypto';

import { PRESENCE_TTL_MS } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { successor } from '../rooms/rooms-store';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';

type UserEntity = { partitionKey: string; rowKey: string; name: string; lastSeen: string };
type NameEntity = { partitionKey: string; rowKey: string; id: string; name: string };
type ConnectionEntity = { partitionKey: string; rowKey: string; lastSeen: Date };

export interface UserSummary extends Principal {
  readonly online: boolean;
}

const idPartition = (id: string) => `id_${createHash('sha256').update(id).digest('hex').slice(0, 2)}`;
/** Lower-cased and URI-encoded: Table keys take every character of it, and prefixes stay prefixes. */
const nameKey = (name: string) => encodeURIComponent(name.toLowerCase());
const namePartition = (key: string) => `name_${key.startsWith('%') ? key.slice(0, 3) : key.slice(0, 1)}`;
/** " " sorts before every character encodeURIComponent emits, so "al" lists before "alice". */
const nameRow = (name: string, id: string) => `${nameKey(name)} ${encodeURIComponent(id)}`;
const presencePartition = (userId: string) => `u_${userId}`;

/** Records a person, and their name in the index when it is new or changed. */
export async function rememberUser(user: Principal): Promise<void> {
  const client = await table('users');
  const known = await findUser(user.id);
  if (known?.name === user.name) return;
  const key = nameKey(user.name);
  await storage(() =>
    client.upsertEntity<NameEntity>(
      { partitionKey: namePartition(key), rowKey: nameRow(user.name, user.id), id: user.id, name: user.name },
      'Replace',
    ),
  );
  await storage(() =>
    client.upsertEntity<UserEntity>(
      { partitionKey: idPartition(user.id), rowKey: user.id, name: user.name, lastSeen: new Date().toISOString() },
      'Replace',
    ),
  );
  if (known) {
    try {
      await storage(() => client.deleteEntity(namePartition(nameKey(known.name)), nameRow(known.name, known.id)));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export async function findUser(id: string): Promise<Principal | undefined> {
  const client = await table('users');
  try {
    const entity = await storage(() => client.getEntity<UserEntity>(idPartition(id), id));
    return { id: entity.rowKey, name: entity.name };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface UserPageQuery {
  /** A name prefix, matched without regard to case. */
  readonly query: string;
  readonly cursor?: string;
  readonly limit: number;
}

/** A page of people in name order (all, or those whose name starts with the query), with whether each is online. */
export async function listUsers(
  page: UserPageQuery = { query: '', limit: 100 },
): Promise<{ users: UserSummary[]; cursor?: string }> {
  const client = await table('users');
  const prefix = nameKey(page.query);
  // No query: a range over the name_ partitions, returned in (PartitionKey, RowKey) order. A
  // query: the one partition its first character names, and the range of keys it prefixes.
  const filter =
    prefix === ''
      ? "PartitionKey ge 'name_' and PartitionKey lt 'name`'"
      : `PartitionKey eq '${odata(namePartition(prefix))}' and RowKey ge '${odata(prefix)}' and RowKey lt '${odata(successor(prefix))}'`;
  const result = await storage(async () => {
    const pages = client
      .listEntities<NameEntity>({ queryOptions: { filter } })
      .byPage({ maxPageSize: page.limit, ...(page.cursor ? { continuationToken: page.cursor } : {}) });
    for await (const entities of pages) return { entities: [...entities], cursor: entities.continuationToken };
    return { entities: [], cursor: undefined };
  });
  const now = Date.now();
  const users = await Promise.all(
    result.entities.map(async (row) => ({
      id: row.id,
      name: row.name,
      online: (await liveConnections(row.id, now)) > 0,
    })),
  );
  return result.cursor ? { users, cursor: result.cursor } : { users };
}

/** Whether a person is online now: a connection of theirs seen within the presence TTL. */
export async function isOnline(userId: string, now = Date.now()): Promise<boolean> {
  return (await liveConnections(userId, now)) > 0;
}

/** Records (or refreshes) a connection; true when the user had no live one before (just came online). */
export async function addConnection(userId: string, connectionId: string, now = Date.now()): Promise<boolean> {
  const client = await table('presence');
  const before = await liveConnections(userId, now, connectionId, true);
  await storage(() =>
    client.upsertEntity<ConnectionEntity>(
      { partitionKey: presencePartition(userId), rowKey: connectionId, lastSeen: new Date(now) },
      'Replace',
    ),
  );
  return before === 0;
}

/** Forgets a connection; true when the user has no live one left (just went offline). */
export async function removeConnection(userId: string, connectionId: string, now = Date.now()): Promise<boolean> {
  const client = await table('presence');
  try {
    await storage(() => client.deleteEntity(presencePartition(userId), connectionId));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return (await liveConnections(userId, now, undefined, true)) === 0;
}

/** The row a heartbeat writes for a person whose connection rows are all gone (lost `connected` events). */
const HEARTBEAT_ROW = 'heartbeat';

/**
 * A connected client says it is still there: every connection row of the person is seen now (the
 * SPA does not know which is its own). True when the person had no live connection before.
 */
export async function heartbeat(userId: string, now = Date.now()): Promise<boolean> {
  const client = await table('presence');
  const rows = await connectionRows(userId);
  const live = rows.filter((row) => now - row.lastSeen.getTime() < PRESENCE_TTL_MS).length;
  const targets = rows.length > 0 ? rows.map((row) => row.rowKey) : [HEARTBEAT_ROW];
  await Promise.all(
    targets.map((rowKey) =>
      storage(() =>
        client.upsertEntity<ConnectionEntity>(
          { partitionKey: presencePartition(userId), rowKey, lastSeen: new Date(now) },
          'Replace',
        ),
      ),
    ),
  );
  return live === 0;
}

async function connectionRows(userId: string): Promise<ConnectionEntity[]> {
  const client = await table('presence');
  return storage(async () => {
    const rows: ConnectionEntity[] = [];
    const filter = `PartitionKey eq '${odata(presencePartition(userId))}'`;
    for await (const row of client.listEntities<ConnectionEntity>({ queryOptions: { filter } })) {
      rows.push({ partitionKey: row.partitionKey, rowKey: row.rowKey, lastSeen: new Date(row.lastSeen) });
    }
    return rows;
  });
}

/**
 * Live connections of a person (not counting `except`). With `clear` (the person's own presence
 * changes, which announce the result), stale rows found on the way are deleted; plain reads leave
 * them for the sweep, which announces whoever they leave offline.
 */
async function liveConnections(userId: string, now: number, except?: string, clear = false): Promise<number> {
  const client = await table('presence');
  let live = 0;
  for (const row of await connectionRows(userId)) {
    if (now - row.lastSeen.getTime() < PRESENCE_TTL_MS) {
      if (row.rowKey !== except) live++;
    } else if (clear) {
      await storage(() => client.deleteEntity(row.partitionKey, row.rowKey, { etag: '*' })).catch(() => undefined);
    }
  }
  return live;
}

const SWEEP_PARTITION = '!sweep';
const SWEEP_ROW = 'lease';
/** At most one sweep in this long, across every instance. */
export const SWEEP_INTERVAL_MS = 10_000;

/**
 * Clears stale connection rows of everyone and answers who went offline by it. Runs at most once
 * per {@link SWEEP_INTERVAL_MS} across all instances (a lease row taken under its ETag), so that
 * people whose disconnect was never delivered (a SignalR Service restart loses them) are announced
 * offline within PRESENCE_TTL_MS + SWEEP_INTERVAL_MS of their last sign of life. The scan reads
 * the presence table, which holds one row per live (or recently dead) connection.
 */
export async function sweepPresence(now = Date.now(), force = false): Promise<string[]> {
  const client = await table('presence');
  if (!force && !(await takeSweepLease(now))) return [];
  const cutoff = new Date(now - PRESENCE_TTL_MS).toISOString();
  const stale = new Set<string>();
  await storage(async () => {
    const filter = `PartitionKey ge 'u_' and PartitionKey lt 'u\`' and lastSeen lt datetime'${cutoff}'`;
    for await (const row of client.listEntities<ConnectionEntity>({ queryOptions: { filter } })) {
      await storage(() => client.deleteEntity(row.partitionKey, row.rowKey, { etag: '*' })).catch(() => undefined);
      stale.add(row.partitionKey.slice(2));
    }
  });
  const offline: string[] = [];
  for (const userId of stale) if ((await liveConnections(userId, now)) === 0) offline.push(userId);
  return offline;
}

async function takeSweepLease(now: number): Promise<boolean> {
  const client = await table('presence');
  let etag: string | undefined;
  try {
    const lease = await storage(() => client.getEntity<{ at: number }>(SWEEP_PARTITION, SWEEP_ROW));
    if (now - lease.at < SWEEP_INTERVAL_MS) return false;
    etag = lease.etag;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const entity = { partitionKey: SWEEP_PARTITION, rowKey: SWEEP_ROW, at: now };
  try {
    if (etag) await storage(() => client.updateEntity(entity, 'Replace', { etag }));
    else await storage(() => client.createEntity(entity));
    return true;
  } catch (err) {
    if (isPreconditionFailed(err) || isConflict(err)) return false;
    throw err;
  }
}

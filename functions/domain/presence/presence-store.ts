/**
 * Presence: a partition per person in the `presence` table, `u_<userId>`, one row per connection
 * with when it was last seen (connected event or heartbeat). Online = a connection seen within
 * PRESENCE_TTL_MS. One more row of that partition, `~state`, holds whether the latest heartbeat said
 * away and the state last announced (presence-state.ts), so a partition query reads all of it.
 */
import { PRESENCE_TTL_MS, type PresenceState } from '../../../contract';
import { isConflict, isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';

type ConnectionEntity = { partitionKey: string; rowKey: string; lastSeen: Date };

const presencePartition = (userId: string) => `u_${userId}`;

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
  return (await partitionRows(userId)).connections;
}

const STATE_ROW = '~state';
type StateEntity = { partitionKey: string; rowKey: string; away: boolean; announced: PresenceState };

/** The person's connection rows and their state row (if any), in one partition query. */
async function partitionRows(
  userId: string,
): Promise<{ connections: ConnectionEntity[]; state?: StateEntity & { etag: string } }> {
  const client = await table('presence');
  return storage(async () => {
    const connections: ConnectionEntity[] = [];
    let state: (StateEntity & { etag: string }) | undefined;
    const filter = `PartitionKey eq '${odata(presencePartition(userId))}'`;
    for await (const row of client.listEntities<ConnectionEntity & Partial<StateEntity>>({
      queryOptions: { filter },
    })) {
      if (row.rowKey === STATE_ROW) {
        state = {
          partitionKey: row.partitionKey,
          rowKey: row.rowKey,
          away: row.away === true,
          announced: row.announced ?? 'offline',
          etag: row.etag,
        };
      } else {
        connections.push({ partitionKey: row.partitionKey, rowKey: row.rowKey, lastSeen: new Date(row.lastSeen) });
      }
    }
    return state ? { connections, state } : { connections };
  });
}

/** What presence-state.ts decides from: live connections, the latest heartbeat's `away`, the state last announced. */
export interface PresenceRecord {
  readonly live: number;
  readonly away: boolean;
  readonly announced: PresenceState;
  /** The state row's ETag (none yet: `offline`, not away). */
  readonly etag?: string;
}

export async function presenceRecord(userId: string, now = Date.now()): Promise<PresenceRecord> {
  const { connections, state } = await partitionRows(userId);
  const live = connections.filter((row) => now - row.lastSeen.getTime() < PRESENCE_TTL_MS).length;
  return {
    live,
    away: state?.away ?? false,
    announced: state?.announced ?? 'offline',
    ...(state && { etag: state.etag }),
  };
}

/** Stores a new away flag and announced state if the state row is still as `record` read it; false if not. */
export async function recordPresence(
  userId: string,
  record: PresenceRecord,
  next: { readonly away: boolean; readonly announced: PresenceState },
): Promise<boolean> {
  const client = await table('presence');
  const entity: StateEntity = { partitionKey: presencePartition(userId), rowKey: STATE_ROW, ...next };
  try {
    await storage(() =>
      record.etag ? client.updateEntity(entity, 'Replace', { etag: record.etag }) : client.createEntity(entity),
    );
    return true;
  } catch (err) {
    if (isPreconditionFailed(err) || isConflict(err) || isNotFound(err)) return false;
    throw err;
  }
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
    // Held unless stamped more than an interval ahead: that is a wrong clock's, and would block sweeps.
    if (Math.abs(now - lease.at) < SWEEP_INTERVAL_MS) return false;
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

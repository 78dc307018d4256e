/**
 * People Hubbub has seen (recorded when they negotiate).
 *
 * Partitioning (Table Storage serves about 2,000 entities/s per partition):
 * - a person's row is in `id_<two hex digits of a hash of their id>` (256 partitions);
 * - the name index, for paged listing and prefix search, is in `name_<first character of the
 *   lower-cased, URI-encoded name>`, one row per person keyed by that name then the id.
 *
 * Whether someone is online is their connections' business (presence/presence-store.ts).
 */
import { createHash } from 'node:crypto';

import type { Principal } from '../../platform/http/identity';
import { pageOf, type PrefixPageQuery, startsWith } from '../../platform/storage/paged-query';
import { isNotFound, odata, storage, table } from '../../platform/storage/tables';
import { isOnline } from '../presence/presence-store';

type UserEntity = { partitionKey: string; rowKey: string; name: string; lastSeen: string };
type NameEntity = { partitionKey: string; rowKey: string; id: string; name: string };

export interface UserSummary extends Principal {
  readonly online: boolean;
}

const idPartition = (id: string) => `id_${createHash('sha256').update(id).digest('hex').slice(0, 2)}`;
/** Lower-cased and URI-encoded: Table keys take every character of it, and prefixes stay prefixes. */
const nameKey = (name: string) => encodeURIComponent(name.toLowerCase());
const namePartition = (key: string) => `name_${key.startsWith('%') ? key.slice(0, 3) : key.slice(0, 1)}`;
/** " " sorts before every character encodeURIComponent emits, so "al" lists before "alice". */
const nameRow = (name: string, id: string) => `${nameKey(name)} ${encodeURIComponent(id)}`;

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

/** `query`: a name prefix, matched without regard to case. */
export type UserPageQuery = PrefixPageQuery;

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
      ? startsWith('PartitionKey', 'name_')
      : `PartitionKey eq '${odata(namePartition(prefix))}' and ${startsWith('RowKey', prefix)}`;
  const result = await pageOf<NameEntity>(client, { filter }, page);
  const now = Date.now();
  const users = await Promise.all(
    result.entities.map(async (row) => ({
      id: row.id,
      name: row.name,
      online: await isOnline(row.id, now),
    })),
  );
  return result.cursor ? { users, cursor: result.cursor } : { users };
}

/**
 * People Hubbub has seen (recorded when they negotiate), and what they say of themselves (docs/people.md).
 *
 * Partitioning (Table Storage serves about 2,000 entities/s per partition):
 * - a person's row is in `id_<two hex digits of a hash of their id>` (256 partitions): their name,
 *   and their profile (about line, time zone, avatar, status), so a card is one point read;
 * - the name index, for paged listing and prefix search, is in `name_<first character of the
 *   lower-cased, URI-encoded name>`, one row per person keyed by that name then the id.
 *
 * A name the person chose (`nameChosen`) is kept over the platform's at every later sign-in. Every
 * change reads the row and replaces it under its ETag, so a sign-in racing a rename cannot undo it.
 * Whether someone is online is their connections' business (presence/presence-store.ts).
 */
import { createHash } from 'node:crypto';

import type { UserStatus } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { pageOf, type PrefixPageQuery, startsWith } from '../../platform/storage/paged-query';
import {
  isConflict,
  isNotFound,
  isPreconditionFailed,
  odata,
  storage,
  StorageBusyError,
  table,
} from '../../platform/storage/tables';

type UserEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  lastSeen: string;
  /** The person chose `name` (PATCH /api/me/profile): a sign-in no longer replaces it. */
  nameChosen?: boolean;
  about?: string;
  timeZone?: string;
  /** The avatar's version (a new one at each upload), its stored type and its blob. */
  avatar?: string;
  avatarType?: string;
  avatarBlob?: string;
  statusEmoji?: string;
  statusText?: string;
  statusExpiresAt?: string;
};
type NameEntity = { partitionKey: string; rowKey: string; id: string; name: string };

/** A person's avatar: its version (the URL's `v`), stored type and blob name. */
export interface Avatar {
  readonly version: string;
  readonly type: string;
  readonly blob: string;
}

/** A person as stored: their status as set, expired or not (cards.ts reads an expired one as none). */
export interface Person extends Principal {
  readonly nameChosen: boolean;
  readonly about?: string;
  readonly timeZone?: string;
  readonly avatar?: Avatar;
  readonly status?: UserStatus;
}

const idPartition = (id: string) => `id_${createHash('sha256').update(id).digest('hex').slice(0, 2)}`;
/** Lower-cased and URI-encoded: Table keys take every character of it, and prefixes stay prefixes. */
const nameKey = (name: string) => encodeURIComponent(name.toLowerCase());
const namePartition = (key: string) => `name_${key.startsWith('%') ? key.slice(0, 3) : key.slice(0, 1)}`;
/** " " sorts before every character encodeURIComponent emits, so "al" lists before "alice". */
const nameRow = (name: string, id: string) => `${nameKey(name)} ${encodeURIComponent(id)}`;

const MAX_ATTEMPTS = 10;

function personOf(entity: UserEntity): Person {
  return {
    id: entity.rowKey,
    name: entity.name,
    nameChosen: entity.nameChosen === true,
    ...(entity.about && { about: entity.about }),
    ...(entity.timeZone && { timeZone: entity.timeZone }),
    ...(entity.avatar &&
      entity.avatarType &&
      entity.avatarBlob && { avatar: { version: entity.avatar, type: entity.avatarType, blob: entity.avatarBlob } }),
    ...((entity.statusText || entity.statusEmoji) && {
      status: {
        text: entity.statusText ?? '',
        ...(entity.statusEmoji && { emoji: entity.statusEmoji }),
        ...(entity.statusExpiresAt && { expiresAt: entity.statusExpiresAt }),
      },
    }),
  };
}

function entityOf(person: Person, lastSeen: string): UserEntity {
  return {
    partitionKey: idPartition(person.id),
    rowKey: person.id,
    name: person.name,
    lastSeen,
    ...(person.nameChosen && { nameChosen: true }),
    ...(person.about && { about: person.about }),
    ...(person.timeZone && { timeZone: person.timeZone }),
    ...(person.avatar && {
      avatar: person.avatar.version,
      avatarType: person.avatar.type,
      avatarBlob: person.avatar.blob,
    }),
    ...(person.status && {
      statusText: person.status.text,
      ...(person.status.emoji && { statusEmoji: person.status.emoji }),
      ...(person.status.expiresAt && { statusExpiresAt: person.status.expiresAt }),
    }),
  };
}

async function readEntity(id: string): Promise<(UserEntity & { etag: string }) | undefined> {
  const client = await table('users');
  try {
    return await storage(() => client.getEntity<UserEntity>(idPartition(id), id));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A person with everything they said of themselves, or undefined for someone Hubbub never saw. */
export async function findPerson(id: string): Promise<Person | undefined> {
  const entity = await readEntity(id);
  return entity && personOf(entity);
}

/** A person's id and the name Hubbub shows (the one they chose, else their platform's). */
export async function findUser(id: string): Promise<Principal | undefined> {
  const person = await findPerson(id);
  return person && { id: person.id, name: person.name };
}

/** Records a person: new, or their platform's name when it changed and they never chose one. */
export async function rememberUser(user: Principal): Promise<void> {
  const changed = await changePerson(user.id, (person) =>
    person.nameChosen || person.name === user.name ? undefined : { ...person, name: user.name },
  );
  if (changed !== 'unknown') return;
  const client = await table('users');
  await writeNameRow(user.name, user.id);
  try {
    await storage(() =>
      client.createEntity<UserEntity>(entityOf({ ...user, nameChosen: false }, new Date().toISOString())),
    );
  } catch (err) {
    if (!isConflict(err)) throw err;
    // A first sign-in in another tab recorded them meanwhile: the platform's name may still be new.
    await rememberUser(user);
  }
}

/**
 * Changes a person's row: `change` gets it as stored and answers the new one (undefined: nothing to
 * change). Read and replaced under its ETag, again on a conflict; a new name moves the person's row
 * of the name index (the new row first, the old one deleted once the change is stored). Answers the
 * person before and after, or `unknown` for someone Hubbub never saw.
 */
export async function changePerson(
  id: string,
  change: (person: Person) => Person | undefined,
): Promise<{ readonly before: Person; readonly after: Person } | 'unknown'> {
  const client = await table('users');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const entity = await readEntity(id);
    if (!entity) return 'unknown';
    const before = personOf(entity);
    const after = change(before);
    if (!after) return { before, after: before };
    const renamed = after.name !== before.name;
    if (renamed) await writeNameRow(after.name, id);
    try {
      await storage(() => client.updateEntity(entityOf(after, entity.lastSeen), 'Replace', { etag: entity.etag }));
    } catch (err) {
      if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
      if (renamed) await deleteNameRow(after.name, id);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
      continue;
    }
    if (renamed) await deleteNameRow(before.name, id);
    return { before, after };
  }
  throw new StorageBusyError(`person ${id}: gave up after ${MAX_ATTEMPTS} concurrent changes`);
}

async function writeNameRow(name: string, id: string): Promise<void> {
  const client = await table('users');
  const key = nameKey(name);
  await storage(() =>
    client.upsertEntity<NameEntity>(
      { partitionKey: namePartition(key), rowKey: nameRow(name, id), id, name },
      'Replace',
    ),
  );
}

async function deleteNameRow(name: string, id: string): Promise<void> {
  const client = await table('users');
  try {
    await storage(() => client.deleteEntity(namePartition(nameKey(name)), nameRow(name, id)));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** `query`: a name prefix, matched without regard to case. */
export type UserPageQuery = PrefixPageQuery;

/** A page of people in name order (all, or those whose name starts with the query). */
export async function listUsers(
  page: UserPageQuery = { query: '', limit: 100 },
): Promise<{ users: Principal[]; cursor?: string }> {
  const client = await table('users');
  const prefix = nameKey(page.query);
  // No query: a range over the name_ partitions, returned in (PartitionKey, RowKey) order. A
  // query: the one partition its first character names, and the range of keys it prefixes.
  const filter =
    prefix === ''
      ? startsWith('PartitionKey', 'name_')
      : `PartitionKey eq '${odata(namePartition(prefix))}' and ${startsWith('RowKey', prefix)}`;
  const result = await pageOf<NameEntity>(client, { filter }, page);
  const users = result.entities.map((row) => ({ id: row.id, name: row.name }));
  return result.cursor ? { users, cursor: result.cursor } : { users };
}

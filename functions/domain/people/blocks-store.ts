/**
 * Blocks: whom each person blocked (the rules: docs/security.md "Blocking"). Rows of the `users`
 * table, in two places, so that every check is one point read:
 *
 * - `blocks_<blocker id>`, the blocker's own partition: a row `p_<blocked id>` for each person
 *   blocked (id, name, when), and one `set` row holding a short hash of each of them (at most
 *   {@link MAX_BLOCKS}). Both change in one transaction under the set row's ETag, so the list and
 *   the set always agree. The list answers `GET /api/me/blocks`; the set row (one small entity)
 *   tells a count which senders to skip.
 * - `pair_<two hex digits>` / the two people's DM name (rooms-store.ts dmRoomName): one row per pair
 *   of people, a boolean property `b<hash of the blocker>` per direction, merged (no ETag: each
 *   blocker writes only their own property). Opening or sending in a DM reads it by the DM's name,
 *   and a mention reads it by the author's and the mentioned person's ids.
 *
 * A block writes the set first and the pair row after, an unblock the same; both write the pair row
 * even when the set already said so, so a request that failed between the two (503) is completed by
 * its retry.
 */
import { createHash } from 'node:crypto';

import type { TransactionAction } from '@azure/data-tables';
import type { HttpResponseInit } from '@azure/functions';

import { DM_PREFIX, MAX_BLOCKS, type UserRef } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { forbidden } from '../../platform/http/responses';
import {
  isConflict,
  isNotFound,
  isPreconditionFailed,
  odata,
  storage,
  StorageBusyError,
  table,
} from '../../platform/storage/tables';
import { dmRoomName } from './dm-names';

type SetEntity = { partitionKey: string; rowKey: string; hashes: string };
type BlockEntity = { partitionKey: string; rowKey: string; id: string; name: string; blockedAt: string };
type PairEntity = { partitionKey: string; rowKey: string } & Record<string, unknown>;

const SET_ROW = 'set';
const PERSON = 'p_';
/** The character after '_': `[p_, p\`)` is every person row. */
const PERSON_END = 'p`';
const MAX_ATTEMPTS = 10;

const blocksOf = (userId: string) => `blocks_${userId}`;
/** 64 bits of a person's id: a set of a thousand stays one small property, and no two ids meet in practice. */
const hashOf = (userId: string) => createHash('sha256').update(userId).digest('hex').slice(0, 16);
const blockerProperty = (userId: string) => `b${hashOf(userId)}`;
const pairPartition = (dm: string) => `pair_${dm.slice(DM_PREFIX.length, DM_PREFIX.length + 2)}`;

/** Whether a sender is one the person blocked. */
export type IsBlocked = (senderId: string) => boolean;

/** The person's set of blocked senders: one point read (nothing blocked when they have no set row). */
export async function blockedSenders(userId: string): Promise<IsBlocked> {
  const { hashes } = await readSet(userId);
  if (hashes.length === 0) return () => false;
  const set = new Set(hashes);
  return (senderId) => set.has(hashOf(senderId));
}

/** {@link blockedSenders}, read on first use and then shared (one read per invocation, however many rooms it counts). */
export function blockedSendersOnce(userId: string): () => Promise<IsBlocked> {
  let read: Promise<IsBlocked> | undefined;
  return () => (read ??= blockedSenders(userId));
}

/** The people `userId` blocked, most recent first: one partition query of at most {@link MAX_BLOCKS} small rows. */
export async function blockList(userId: string): Promise<UserRef[]> {
  const client = await table('users');
  const filter = `PartitionKey eq '${odata(blocksOf(userId))}' and RowKey ge '${PERSON}' and RowKey lt '${PERSON_END}'`;
  const rows = await storage(async () => {
    const found: BlockEntity[] = [];
    const select = ['id', 'name', 'blockedAt'];
    for await (const row of client.listEntities<BlockEntity>({ queryOptions: { filter, select } })) found.push(row);
    return found;
  });
  rows.sort((a, b) => b.blockedAt.localeCompare(a.blockedAt) || a.id.localeCompare(b.id));
  return rows.map((row) => ({ id: row.id, name: row.name }));
}

/** Blocks `other` for `blocker`; false when the blocker's list is full ({@link MAX_BLOCKS}). Repeating it changes nothing. */
export async function block(blocker: Principal, other: Principal): Promise<boolean> {
  const hash = hashOf(other.id);
  const changed = await changeSet(blocker.id, (hashes) => {
    if (hashes.includes(hash)) return undefined;
    if (hashes.length >= MAX_BLOCKS) return 'full';
    const row: BlockEntity = {
      partitionKey: blocksOf(blocker.id),
      rowKey: PERSON + other.id,
      id: other.id,
      name: other.name,
      blockedAt: new Date().toISOString(),
    };
    return { hashes: [...hashes, hash], action: ['upsert', row, 'Replace'] };
  });
  if (changed === 'full') return false;
  await markPair(blocker.id, other.id, true);
  return true;
}

/** Unblocks `otherId` for `blockerId`. Repeating it, or unblocking someone never blocked, changes nothing. */
export async function unblock(blockerId: string, otherId: string): Promise<void> {
  const hash = hashOf(otherId);
  await changeSet(blockerId, (hashes) => {
    if (!hashes.includes(hash)) return undefined;
    return {
      hashes: hashes.filter((h) => h !== hash),
      action: ['delete', { partitionKey: blocksOf(blockerId), rowKey: PERSON + otherId }],
    };
  });
  await markPair(blockerId, otherId, false);
}

/** Who blocks whom between the people of a DM (by its name): whether `userId` blocked the other, and whether the other blocked them. */
export async function dmBlocks(dm: string, userId: string): Promise<{ mine: boolean; theirs: boolean }> {
  const blockers = await readPair(dm);
  const mine = blockers.delete(blockerProperty(userId));
  return { mine, theirs: blockers.size > 0 };
}

/** Whether `userId` blocked `senderId` (the pair row of the two: one point read). */
export async function blocks(userId: string, senderId: string): Promise<boolean> {
  if (userId === senderId) return false;
  return (await readPair(dmRoomName(userId, senderId))).has(blockerProperty(userId));
}

/** The blockers (`b<hash>` properties set) of a pair row; none without one. */
async function readPair(dm: string): Promise<Set<string>> {
  const client = await table('users');
  try {
    const row = await storage(() => client.getEntity<PairEntity>(pairPartition(dm), dm));
    return new Set(Object.keys(row).filter((key) => /^b[0-9a-f]{16}$/.test(key) && row[key] === true));
  } catch (err) {
    if (isNotFound(err)) return new Set();
    throw err;
  }
}

async function markPair(blockerId: string, otherId: string, blocked: boolean): Promise<void> {
  const client = await table('users');
  const dm = dmRoomName(blockerId, otherId);
  const row: PairEntity = { partitionKey: pairPartition(dm), rowKey: dm, [blockerProperty(blockerId)]: blocked };
  await storage(() => client.upsertEntity(row, 'Merge'));
}

async function readSet(userId: string): Promise<{ hashes: string[]; etag?: string }> {
  const client = await table('users');
  try {
    const row = await storage(() => client.getEntity<SetEntity>(blocksOf(userId), SET_ROW));
    return { hashes: row.hashes === '' ? [] : row.hashes.split(','), etag: row.etag };
  } catch (err) {
    if (isNotFound(err)) return { hashes: [] };
    throw err;
  }
}

type SetChange = { hashes: string[]; action: TransactionAction } | 'full' | undefined;

/** Applies `change` to the person's set and list in one transaction under the set row's ETag, reading again when another change got in first. */
async function changeSet(userId: string, change: (hashes: string[]) => SetChange): Promise<SetChange> {
  const client = await table('users');
  const partitionKey = blocksOf(userId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readSet(userId);
    const next = change(current.hashes);
    if (next === undefined || next === 'full') return next;
    const set: SetEntity = { partitionKey, rowKey: SET_ROW, hashes: next.hashes.join(',') };
    const actions: TransactionAction[] = [
      current.etag === undefined ? ['create', set] : ['update', set, 'Replace', { etag: current.etag }],
      next.action,
    ];
    try {
      await storage(() => client.submitTransaction(actions));
      return next;
    } catch (err) {
      if (!isPreconditionFailed(err) && !isConflict(err) && !isNotFound(err)) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
  }
  throw new StorageBusyError(`blocks of ${userId}: gave up after ${MAX_ATTEMPTS} concurrent changes`);
}

/**
 * The answer to opening or sending in a DM while either person blocks the other (403), or undefined.
 * The blocked person learns only that they cannot message this person; the blocker is told why.
 */
export function blockedDm(blocked: { mine: boolean; theirs: boolean }): HttpResponseInit | undefined {
  if (blocked.mine) return forbidden('You blocked this person: unblock them to send messages');
  if (blocked.theirs) return forbidden("You can't message this person");
  return undefined;
}

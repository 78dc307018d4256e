/**
 * Do not disturb: while it is on, nothing notifies the person (no push, no `mention` event counts
 * for a notification in their tabs) and others see their presence as `dnd`. One row per person in
 * `profiles`, partition the person's id, row `dnd`, holding when it ends; an ended one reads as off.
 */
import { isNotFound, storage, table } from '../../platform/storage/tables';

type DndEntity = { partitionKey: string; rowKey: 'dnd'; until: string };

/** When the person's do not disturb ends, if it is on at `now`. */
export async function doNotDisturbUntil(userId: string, now = Date.now()): Promise<string | undefined> {
  const client = await table('profiles');
  try {
    const row = await storage(() => client.getEntity<DndEntity>(userId, 'dnd'));
    return Date.parse(row.until) > now ? row.until : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Of these people, those whose do not disturb is on at `now` (one point read each, in parallel). */
export async function doNotDisturbOf(userIds: readonly string[], now = Date.now()): Promise<Set<string>> {
  const until = await Promise.all(userIds.map((id) => doNotDisturbUntil(id, now)));
  return new Set(userIds.filter((_, i) => until[i] !== undefined));
}

export async function setDoNotDisturb(userId: string, until: string): Promise<void> {
  const client = await table('profiles');
  await storage(() => client.upsertEntity<DndEntity>({ partitionKey: userId, rowKey: 'dnd', until }, 'Replace'));
}

export async function clearDoNotDisturb(userId: string): Promise<void> {
  const client = await table('profiles');
  try {
    await storage(() => client.deleteEntity(userId, 'dnd'));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

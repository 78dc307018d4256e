/**
 * People Hubbub has seen (recorded when they sign in) and their live connections, which the
 * SignalR `connected` / `disconnected` events maintain. Online = at least one connection row.
 */
import type { Principal } from './identity';
import { isNotFound, odata, storage, table } from './tables';

type UserEntity = { partitionKey: 'user'; rowKey: string; name: string; lastSeen: string };
type ConnectionEntity = { partitionKey: string; rowKey: string; connectedAt: string };

export interface UserSummary extends Principal {
  readonly online: boolean;
}

export async function rememberUser(user: Principal): Promise<void> {
  const client = await table('users');
  await storage(() =>
    client.upsertEntity<UserEntity>(
      { partitionKey: 'user', rowKey: user.id, name: user.name, lastSeen: new Date().toISOString() },
      'Replace',
    ),
  );
}

export async function findUser(id: string): Promise<Principal | undefined> {
  const client = await table('users');
  try {
    const entity = await storage(() => client.getEntity<UserEntity>('user', id));
    return { id: entity.rowKey, name: entity.name };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function listUsers(): Promise<UserSummary[]> {
  const [users, presence] = await Promise.all([table('users'), table('presence')]);
  const online = new Set<string>();
  await storage(async () => {
    for await (const row of presence.listEntities<ConnectionEntity>({ queryOptions: { select: ['PartitionKey'] } })) {
      online.add(row.partitionKey);
    }
  });
  const out: UserSummary[] = [];
  await storage(async () => {
    for await (const row of users.listEntities<UserEntity>({ queryOptions: { filter: "PartitionKey eq 'user'" } })) {
      out.push({ id: row.rowKey, name: row.name, online: online.has(row.rowKey) });
    }
  });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Records a connection; true when the user had none before (just came online). */
export async function addConnection(userId: string, connectionId: string): Promise<boolean> {
  const client = await table('presence');
  const before = await connectionCount(userId);
  await storage(() =>
    client.upsertEntity<ConnectionEntity>({
      partitionKey: userId,
      rowKey: connectionId,
      connectedAt: new Date().toISOString(),
    }),
  );
  return before === 0;
}

/** Forgets a connection; true when it was the user's last one (just went offline). */
export async function removeConnection(userId: string, connectionId: string): Promise<boolean> {
  const client = await table('presence');
  try {
    await storage(() => client.deleteEntity(userId, connectionId));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return (await connectionCount(userId)) === 0;
}

async function connectionCount(userId: string): Promise<number> {
  const client = await table('presence');
  return storage(async () => {
    let count = 0;
    const filter = `PartitionKey eq '${odata(userId)}'`;
    for await (const _row of client.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) count++;
    return count;
  });
}

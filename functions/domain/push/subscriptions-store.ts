/**
 * Each person's push subscriptions (devices), in `push`: partition `sub_<user id>`, row a hash of
 * the endpoint (an endpoint is a URL, which a row key cannot hold), so "my devices" and "whom to
 * push to" are one partition query of at most MAX_PUSH_SUBSCRIPTIONS rows.
 */
import { createHash } from 'node:crypto';

import { MAX_PUSH_SUBSCRIPTIONS, type PushDevice } from '../../../contract';
import { isNotFound, odata, storage, table } from '../../platform/storage/tables';

type SubscriptionEntity = {
  partitionKey: string;
  rowKey: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  device: string;
  createdAt: string;
  /** When the browser says the subscription ends (ms since the epoch), if it does. */
  expirationTime?: number;
};

export interface StoredSubscription {
  readonly key: string;
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  readonly device: string;
  readonly createdAt: string;
  readonly expirationTime?: number;
}

const subscriptionsPartition = (userId: string) => `sub_${userId}`;
export const endpointKey = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex').slice(0, 40);

const fromEntity = (e: SubscriptionEntity): StoredSubscription => ({
  key: e.rowKey,
  endpoint: e.endpoint,
  keys: { p256dh: e.p256dh, auth: e.auth },
  device: e.device,
  createdAt: e.createdAt,
  ...(typeof e.expirationTime === 'number' && { expirationTime: e.expirationTime }),
});

export function toDevice(subscription: StoredSubscription): PushDevice {
  return { endpoint: subscription.endpoint, device: subscription.device, createdAt: subscription.createdAt };
}

/** The person's subscriptions, oldest first. */
export async function subscriptionsOf(userId: string): Promise<StoredSubscription[]> {
  const client = await table('push');
  return storage(async () => {
    const found: StoredSubscription[] = [];
    const filter = `PartitionKey eq '${odata(subscriptionsPartition(userId))}'`;
    for await (const e of client.listEntities<SubscriptionEntity>({ queryOptions: { filter } }))
      found.push(fromEntity(e));
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  });
}

export async function findSubscription(userId: string, key: string): Promise<StoredSubscription | undefined> {
  const client = await table('push');
  try {
    return fromEntity(await storage(() => client.getEntity<SubscriptionEntity>(subscriptionsPartition(userId), key)));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface NewSubscription {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  readonly device: string;
  readonly expirationTime?: number | null;
}

/**
 * Stores the subscription: the same endpoint again replaces its keys and label (keeping when it was
 * added); a new one past MAX_PUSH_SUBSCRIPTIONS is refused ('full').
 */
export async function saveSubscription(
  userId: string,
  subscription: NewSubscription,
  now = new Date(),
): Promise<{ saved: StoredSubscription } | 'full'> {
  const client = await table('push');
  const existing = await subscriptionsOf(userId);
  const key = endpointKey(subscription.endpoint);
  const same = existing.find((s) => s.key === key);
  if (!same && existing.length >= MAX_PUSH_SUBSCRIPTIONS) return 'full';
  const entity: SubscriptionEntity = {
    partitionKey: subscriptionsPartition(userId),
    rowKey: key,
    endpoint: subscription.endpoint,
    p256dh: subscription.keys.p256dh,
    auth: subscription.keys.auth,
    device: subscription.device,
    createdAt: same?.createdAt ?? now.toISOString(),
    ...(typeof subscription.expirationTime === 'number' && { expirationTime: subscription.expirationTime }),
  };
  await storage(() => client.upsertEntity(entity, 'Replace'));
  return { saved: fromEntity(entity) };
}

/** Deletes the subscription with this key; true when there was one. */
export async function deleteSubscription(userId: string, key: string): Promise<boolean> {
  const client = await table('push');
  try {
    await storage(() => client.deleteEntity(subscriptionsPartition(userId), key));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

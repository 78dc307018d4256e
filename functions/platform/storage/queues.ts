/**
 * Azure Storage queues, on the account of `HUBBUB_STORAGE_CONNECTION_STRING` (Azurite locally):
 * one client per queue, created on first use. Messages are JSON written as base64, the encoding the
 * Functions queue trigger reads by default (host.json `extensions.queues.messageEncoding`).
 */
import { QueueClient, type StoragePipelineOptions } from '@azure/storage-queue';

import { STORAGE_SETTING, StorageUnavailableError } from './tables';

const clients = new Map<string, Promise<QueueClient>>();

export function queue(name: string): Promise<QueueClient> {
  let client = clients.get(name);
  if (!client) {
    client = createQueue(name);
    clients.set(name, client);
    // A failed creation (storage down) must not be cached: the next message tries again.
    client.catch(() => clients.delete(name));
  }
  return client;
}

async function createQueue(name: string): Promise<QueueClient> {
  const connection = process.env[STORAGE_SETTING] || process.env['AzureWebJobsStorage'];
  if (!connection) throw new StorageUnavailableError(`${STORAGE_SETTING} is not set`);
  const options: StoragePipelineOptions = {
    retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 500 },
  };
  const client = new QueueClient(connection, name, options);
  await client.createIfNotExists();
  return client;
}

/** Sends `body` as JSON (base64), invisible for `delaySeconds` first. */
export async function sendJson(name: string, body: unknown, delaySeconds = 0): Promise<void> {
  const client = await queue(name);
  const text = Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
  await client.sendMessage(text, delaySeconds > 0 ? { visibilityTimeout: Math.round(delaySeconds) } : {});
}

/** A queue message's text as the trigger hands it over (parsed JSON, or the text itself), as an object. */
export function queueJson(entry: unknown): unknown {
  if (typeof entry !== 'string') return entry;
  try {
    return JSON.parse(entry) as unknown;
  } catch {
    return entry;
  }
}

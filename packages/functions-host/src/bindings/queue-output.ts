/**
 * The storage `queue` output binding and what queue triggers and outputs share: queue clients per
 * connection, `messageEncoding` (base64 by default, as the extension writes and reads), and the
 * extension's fast path by which a message this host writes wakes this host's listener on that queue.
 */
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';

import type { RpcTypedData } from '../worker/core-types';
import { type BindingData, resolveBindingExpression } from './binding-expressions';
import { storageConnectionOf } from './storage-connection';
import { settingText } from './trigger-support';

export { QUEUE_OUTPUT_TYPE } from './storage-types';

export type MessageEncoding = 'base64' | 'none';

export function messageEncodingOf(queues: Readonly<Record<string, unknown>>): MessageEncoding {
  const value = queues['messageEncoding'];
  if (value === undefined || value === null) return 'base64';
  const lower = settingText(value).toLowerCase();
  if (lower === 'base64' || lower === 'none') return lower;
  throw new Error(
    `host.json extensions.queues.messageEncoding must be "base64" or "none", not "${settingText(value)}"`,
  );
}

const services = new Map<string, QueueServiceClient>();

export function queueClient(connectionString: string, queueName: string): QueueClient {
  let service = services.get(connectionString);
  if (!service) {
    service = QueueServiceClient.fromConnectionString(connectionString);
    services.set(connectionString, service);
  }
  return service.getQueueClient(queueName);
}

/** Queue names are lower-cased, as the extension normalises them, and must be valid. */
export function queueNameOf(binding: Readonly<Record<string, unknown>>, data: BindingData): string {
  const raw = binding['queueName'];
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error('the binding has no queueName');
  const name = resolveBindingExpression(raw.trim(), data).toLowerCase();
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(name)) {
    throw new Error(
      `Invalid queue name: ${name}. A queue name must be 3-63 lower-case letters, digits or single hyphens, starting and ending with a letter or digit.`,
    );
  }
  return name;
}

const wakers = new Map<string, Set<() => void>>();

function wakeKey(connectionString: string, queueName: string): string {
  return `${connectionString}\n${queueName}`;
}

/** Registers a listener to poll at once when this host writes to its queue; returns the unregister. */
export function onLocalEnqueue(connectionString: string, queueName: string, wake: () => void): () => void {
  const key = wakeKey(connectionString, queueName);
  let set = wakers.get(key);
  if (!set) {
    set = new Set();
    wakers.set(key, set);
  }
  set.add(wake);
  return () => set.delete(wake);
}

export function encodeMessage(text: string, encoding: MessageEncoding): string {
  return encoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text;
}

/**
 * The messages an output value stands for: a string or bytes is one message, an array one
 * message per item, an object its JSON text. Bytes go out as their base64 under base64 encoding.
 */
export function queueMessagesOf(data: RpcTypedData | null | undefined, encoding: MessageEncoding): string[] {
  if (!data) return [];
  if (typeof data.string === 'string') return [encodeMessage(data.string, encoding)];
  if (data.bytes) {
    const bytes = Buffer.from(data.bytes);
    return [encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8')];
  }
  if (typeof data.json === 'string') {
    const value = JSON.parse(data.json) as unknown;
    const items = Array.isArray(value) ? value : [value];
    return items
      .filter((item) => item !== null && item !== undefined)
      .map((item) => encodeMessage(typeof item === 'string' ? item : JSON.stringify(item), encoding));
  }
  if (typeof data.int === 'number' || typeof data.double === 'number') {
    return [encodeMessage(String(data.int ?? data.double), encoding)];
  }
  throw new Error('a queue message must be a string, bytes, an object or an array of them');
}

export interface QueueOutputContext {
  readonly bindingData: BindingData;
  readonly encoding: MessageEncoding;
}

/** Sends the messages (creating the queue if needed, as the extension does) and wakes local listeners. */
export async function deliverQueueOutput(
  binding: Readonly<Record<string, unknown>>,
  data: RpcTypedData | null | undefined,
  ctx: QueueOutputContext,
): Promise<number> {
  const messages = queueMessagesOf(data, ctx.encoding);
  if (messages.length === 0) return 0;
  const connectionString = storageConnectionOf(binding);
  const name = queueNameOf(binding, ctx.bindingData);
  const queue = queueClient(connectionString, name);
  await queue.createIfNotExists();
  for (const message of messages) await queue.sendMessage(message);
  for (const wake of wakers.get(wakeKey(connectionString, name)) ?? []) wake();
  return messages.length;
}

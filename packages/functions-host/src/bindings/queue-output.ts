/**
 * The storage `queue` output binding and what queue triggers and outputs share: queue names and
 * message encoding (host.json `messageEncoding`, base64 by default, as the extension writes and
 * reads). A message this host writes wakes this host's listener on that queue (StorageClients).
 */
import type { RpcTypedData } from '../worker/core-types';
import type { BindingType } from './binding';
import { type BindingData, resolveBindingExpression } from './binding-expressions';
import type { MessageEncoding } from './queue-settings';
import type { StorageClients } from './storage-clients';
import { storageAppSetting, storageConnectionOf } from './storage-connection';

export const queueOutput: BindingType = {
  name: 'queue',
  directions: ['out'],
  async deliverOutput(binding, data, ctx) {
    await deliverQueueOutput(binding, data, {
      bindingData: ctx.bindingData,
      encoding: ctx.host.queues.messageEncoding,
      storage: ctx.host.storage,
    });
  },
  appSetting: storageAppSetting,
};

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
  readonly storage: StorageClients;
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
  const queue = ctx.storage.queueClient(connectionString, name);
  await queue.createIfNotExists();
  for (const message of messages) await queue.sendMessage(message);
  ctx.storage.queueWritten(connectionString, name);
  return messages.length;
}

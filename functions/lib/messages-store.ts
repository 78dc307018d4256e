/**
 * Messages in Table Storage, one partition per room. Row keys invert the time so that ascending
 * key order is newest first: "newest N", "older than a message" and "newer than a message" are all
 * single range queries. Each message has an id marker row in the same partition; the marker and
 * the message are inserted in one batch, so a repeated client id can never store twice.
 */
import type { TableEntityResult } from '@azure/data-tables';
import { isConflict, isNotFound, odata, storage, table } from './tables';

export interface ChatMessage {
  readonly id: string;
  readonly room: string;
  readonly text: string;
  readonly sender: { readonly id: string; readonly name: string };
  readonly sentAt: string;
}

type MessageEntity = {
  partitionKey: string;
  rowKey: string;
  id: string;
  text: string;
  senderId: string;
  senderName: string;
  sentAt: string;
};

type MarkerEntity = {
  partitionKey: string;
  rowKey: string;
  messageKey: string;
};

const MESSAGE_PREFIX = 'm_';
const MESSAGE_END = 'm`'; // the character after '_', so [m_, m`) is every message row
const MARKER_PREFIX = 'id_';
const MAX_TIME = 8_640_000_000_000_000; // the largest ECMAScript time value

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;
/** Catch-up reads at most this many newer messages; a client further behind reloads the newest page. */
const MAX_CATCH_UP = 5_000;

export function messageKey(sentAt: string, id: string): string {
  return `${MESSAGE_PREFIX}${String(MAX_TIME - Date.parse(sentAt)).padStart(16, '0')}_${id}`;
}

export interface SaveResult {
  /** False when the id was already stored: nothing was written and nothing should be broadcast. */
  readonly created: boolean;
  readonly message: ChatMessage;
}

/** Stores the message unless its id is already in the room; either way returns the stored message. */
export async function saveMessage(message: ChatMessage): Promise<SaveResult> {
  const client = await table('messages');
  const { entity, marker } = rowsOf(message);
  try {
    await storage(() =>
      client.submitTransaction([
        ['create', marker],
        ['create', entity],
      ]),
    );
    return { created: true, message };
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  const existing = await findMessage(message.room, message.id);
  if (!existing) throw new Error(`message ${message.id} conflicted but could not be read back`);
  return { created: false, message: existing };
}

/** Table Storage takes at most 100 operations in one transaction: 50 messages with their markers. */
const IMPORT_BATCH = 50;

/**
 * Writes many messages of one room quickly (seeding, migrations, benchmarks), each with its id
 * marker in the same transaction, exactly as {@link saveMessage} stores them.
 */
export async function importMessages(room: string, messages: readonly ChatMessage[]): Promise<void> {
  const client = await table('messages');
  for (let i = 0; i < messages.length; i += IMPORT_BATCH) {
    const actions = messages.slice(i, i + IMPORT_BATCH).flatMap((message) => {
      const { entity, marker } = rowsOf({ ...message, room });
      return [
        ['create', marker],
        ['create', entity],
      ] as ['create', MarkerEntity | MessageEntity][];
    });
    await storage(() => client.submitTransaction(actions));
  }
}

function rowsOf(message: ChatMessage): { entity: MessageEntity; marker: MarkerEntity } {
  const key = messageKey(message.sentAt, message.id);
  return {
    entity: {
      partitionKey: message.room,
      rowKey: key,
      id: message.id,
      text: message.text,
      senderId: message.sender.id,
      senderName: message.sender.name,
      sentAt: message.sentAt,
    },
    marker: { partitionKey: message.room, rowKey: MARKER_PREFIX + message.id, messageKey: key },
  };
}

export async function findMessage(room: string, id: string): Promise<ChatMessage | undefined> {
  const key = await keyOf(room, id);
  if (!key) return undefined;
  const client = await table('messages');
  try {
    return toMessage(await storage(() => client.getEntity<MessageEntity>(room, key)));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface Page {
  /** Oldest first, as a chat shows them. */
  readonly messages: ChatMessage[];
  readonly hasMore: boolean;
}

export type PageQuery =
  | { readonly kind: 'latest'; readonly limit: number }
  | { readonly kind: 'before'; readonly id: string; readonly limit: number }
  | { readonly kind: 'after'; readonly id: string; readonly limit: number };

/** Returns undefined when the cursor message is not in the room. */
export async function readPage(room: string, query: PageQuery): Promise<Page | undefined> {
  const client = await table('messages');
  if (query.kind === 'after') {
    const cursor = await keyOf(room, query.id);
    if (!cursor) return undefined;
    // Newer rows sort before the cursor; read them all (newest first) and hand back the oldest ones.
    const newer = await collect(client, room, MESSAGE_PREFIX, cursor, MAX_CATCH_UP);
    const oldestFirst = newer.reverse();
    return { messages: oldestFirst.slice(0, query.limit), hasMore: oldestFirst.length > query.limit };
  }
  let from = MESSAGE_PREFIX;
  if (query.kind === 'before') {
    const cursor = await keyOf(room, query.id);
    if (!cursor) return undefined;
    from = cursor + '\u0000'; // strictly after the cursor key, i.e. strictly older
  }
  const rows = await collect(client, room, from, MESSAGE_END, query.limit + 1);
  return { messages: rows.slice(0, query.limit).reverse(), hasMore: rows.length > query.limit };
}

async function keyOf(room: string, id: string): Promise<string | undefined> {
  const client = await table('messages');
  try {
    const marker = await storage(() => client.getEntity<MarkerEntity>(room, MARKER_PREFIX + id));
    return marker.messageKey;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function collect(
  client: Awaited<ReturnType<typeof table>>,
  room: string,
  fromInclusive: string,
  toExclusive: string,
  max: number,
): Promise<ChatMessage[]> {
  const filter = `PartitionKey eq '${odata(room)}' and RowKey ge '${odata(fromInclusive)}' and RowKey lt '${odata(toExclusive)}'`;
  return storage(async () => {
    const out: ChatMessage[] = [];
    const pages = client
      .listEntities<MessageEntity>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(max, 1000) });
    for await (const page of pages) {
      for (const entity of page) {
        out.push(toMessage(entity));
        if (out.length >= max) return out;
      }
    }
    return out;
  });
}

function toMessage(entity: TableEntityResult<MessageEntity> | MessageEntity): ChatMessage {
  return {
    id: entity.id,
    room: entity.partitionKey,
    text: entity.text,
    sender: { id: entity.senderId, name: entity.senderName },
    sentAt: entity.sentAt,
  };
}

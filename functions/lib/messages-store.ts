/**
 * Messages in Table Storage, one partition per room. Row keys invert the time so that ascending
 * key order is newest first: "newest N", "older than a message" and "newer than a message" are all
 * single range queries. Each message has an id marker row in the same partition; the marker and
 * the message are inserted in one batch, so a repeated client id can never store twice.
 */
import type { TableClient, TableEntityResult } from '@azure/data-tables';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Message } from '../../contract';
import { isConflict, isNotFound, odata, storage, table } from './tables';

/** A message as stored and sent: the wire contract's message. */
export type ChatMessage = Message;

export type MessageEntity = {
  partitionKey: string;
  rowKey: string;
  id: string;
  text: string;
  senderId: string;
  senderName: string;
  sentAt: string;
};

export type MarkerEntity = {
  partitionKey: string;
  rowKey: string;
  messageKey: string;
};

const MESSAGE_PREFIX = 'm_';
const MESSAGE_END = 'm`'; // the character after '_', so [m_, m`) is every message row
const MARKER_PREFIX = 'id_';
const MAX_TIME = 8_640_000_000_000_000; // the largest ECMAScript time value

export const DEFAULT_PAGE = DEFAULT_PAGE_SIZE;
export const MAX_PAGE = MAX_PAGE_SIZE;
/** Catch-up reads forward in time windows that start this long and double while they come back sparse. */
const FIRST_WINDOW_MS = 10_000;
/** Writers' clocks may run this far ahead of this instance's: catch-up looks that far into the future. */
const CLOCK_SLACK_MS = 5 * 60_000;

function timeKey(time: number): string {
  return `${MESSAGE_PREFIX}${String(MAX_TIME - time).padStart(16, '0')}`;
}

export function messageKey(sentAt: string, id: string): string {
  return `${timeKey(Date.parse(sentAt))}_${id}`;
}

export interface SaveResult {
  /** False when the id was already stored: nothing was written and nothing should be broadcast. */
  readonly created: boolean;
  readonly message: ChatMessage;
}

/** Stores the message unless its id is already in the room; either way returns the stored message. */
export async function saveMessage(message: ChatMessage): Promise<SaveResult> {
  const client = await table('messages');
  const { entity, marker } = messageRows(message);
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

/** The message row and its id marker row, as {@link saveMessage} writes them in one transaction. */
export function messageRows(message: ChatMessage): { entity: MessageEntity; marker: MarkerEntity } {
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
    return readAfter(client, room, cursor, query.limit);
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

/**
 * The oldest `limit` messages newer than the cursor. Keys sort newest first, so newer rows are the
 * keys below the cursor's; reading them from the top would start at the newest. Instead, walk
 * forward in time: each window [cursor time, +span) is one range query (read whole, then
 * reversed), and the span doubles while windows come back short, so a client far behind costs a
 * few queries per page, never a scan of everything newer.
 */
async function readAfter(client: TableClient, room: string, cursor: string, limit: number): Promise<Page> {
  const cursorTime = MAX_TIME - Number(cursor.slice(MESSAGE_PREFIX.length, MESSAGE_PREFIX.length + 16));
  const end = Date.now() + CLOCK_SLACK_MS;
  const found: ChatMessage[] = [];
  let upper = cursor;
  let from = cursorTime;
  let span = FIRST_WINDOW_MS;
  while (found.length <= limit && from < end) {
    const to = Math.min(from + span, end);
    // Keys for times in (from, to], plus same-millisecond rows that sort before the cursor.
    const lower = timeKey(to);
    const window = await collect(client, room, lower, upper, Number.POSITIVE_INFINITY);
    found.push(...window.reverse());
    upper = lower;
    from = to;
    span *= 2;
  }
  return { messages: found.slice(0, limit), hasMore: found.length > limit };
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
  client: TableClient,
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

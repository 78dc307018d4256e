/**
 * Who reacted with what, apart from the message's rows (which hold a count and the first few people
 * per emoji, so a message with thousands of reactions stays small). Rows of a room, in its
 * partition, written in the same transaction as the message's change (room-log.ts updateMessage),
 * so they always agree with its counts:
 * - `x_<first>_<emoji key>_<person key>`: a person's reaction with one emoji on the message created
 *   by change `first`, with their id and name. The people of one emoji are one key range: the names
 *   shown in place of a named person who takes theirs back.
 * - `y_<person key>_<first>`: the emoji a person reacted with on that message. Whether the viewer
 *   reacted (`mine`) to the messages of a page is one key range of these.
 *
 * Keys hold hashes of the emoji and the person's id: any id and any emoji make a valid,
 * fixed-length key. A deleted message's rows stay, unread (its counts are gone from its rows).
 */
import { createHash } from 'node:crypto';

import type { TableClient, TransactionAction } from '@azure/data-tables';

import { MAX_PAGE_SIZE, REACTION_PEOPLE_SHOWN, type ReactionRequest, type UserRef } from '../../../contract';
import { isNotFound, odata, storage, table } from '../../platform/storage/tables';
import { decideReaction, isLegacyReactor, needsMorePeople, type Refusal } from './message-changes';
import type { Decision, MessageState, StoredMessage } from './room-log';

const REACTOR = 'x_';
const MINE = 'y_';
const DIGITS = 15;
/**
 * A page's `mine` is one key range of the viewer's rows when its reacted messages were created
 * within this many changes of each other (at most this many rows, one page of storage), else one
 * point read per reacted message (at most the page's size).
 */
const MINE_RANGE_SPAN = 2 * MAX_PAGE_SIZE;

type ReactorEntity = { partitionKey: string; rowKey: string; userId: string; name: string };
type MineEntity = { partitionKey: string; rowKey: string; emoji: string };

const pad = (n: number) => String(n).padStart(DIGITS, '0');
const hash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);
const personKey = (userId: string) => hash(userId, 24);
const emojiKey = (emoji: string) => hash(emoji, 16);
const reactorsPrefix = (first: number, emoji: string) => `${REACTOR}${pad(first)}_${emojiKey(emoji)}_`;
const reactorKey = (first: number, emoji: string, userId: string) => reactorsPrefix(first, emoji) + personKey(userId);
const minePrefix = (userId: string) => `${MINE}${personKey(userId)}_`;
const mineKey = (userId: string, first: number) => minePrefix(userId) + pad(first);

export interface ReactionDecider {
  /** For updateMessage: reads the person's row (and, when a named person leaves, a few others'), then decides. */
  readonly decide: (current: StoredMessage) => Promise<Decision<Refusal>>;
  /** The emoji the person reacts with on the message as the last decision left it (the answer's `mine`). */
  readonly mine: () => ReadonlySet<string>;
}

/**
 * A person's reaction change: the message's new counts (message-changes.ts decideReaction) and the
 * rows that say who reacted, in one transaction. A person among a message's legacy reactors
 * (room-log.ts MessageState.legacyReactors) has no rows: theirs is taken out of that list instead.
 */
export function reactionDecider(room: string, user: UserRef, change: ReactionRequest): ReactionDecider {
  let mine: ReadonlySet<string> = new Set();
  const decide = async (current: StoredMessage): Promise<Decision<Refusal>> => {
    const client = await table('messages');
    const row = await readMine(client, room, user.id, current.first);
    const emoji = row?.emoji ?? [];
    const more = needsMorePeople(current, user.id, change)
      ? [
          ...(current.legacyReactors?.[change.emoji] ?? []),
          ...(await readReactors(client, room, current.first, change.emoji, REACTION_PEOPLE_SHOWN + 1)),
        ]
      : [];
    const decision = decideReaction(current, user, change, emoji, more);
    if (!('state' in decision)) {
      mine = new Set([...emoji, ...legacyEmojiOf(current, user.id)]);
      return decision;
    }
    if (isLegacyReactor(current, user.id, change.emoji)) {
      mine = new Set([...emoji, ...legacyEmojiOf(decision.state, user.id)]);
      return decision;
    }
    const after = change.add ? [...emoji, change.emoji] : emoji.filter((e) => e !== change.emoji);
    mine = new Set([...after, ...legacyEmojiOf(decision.state, user.id)]);
    const reactor: ReactorEntity = {
      partitionKey: room,
      rowKey: reactorKey(current.first, change.emoji, user.id),
      userId: user.id,
      name: user.name,
    };
    const mineRow: MineEntity = {
      partitionKey: room,
      rowKey: mineKey(user.id, current.first),
      emoji: JSON.stringify(after),
    };
    // The counter's ETag already guards these rows (every change to them takes the counter); theirs checks again.
    const rows: TransactionAction[] = [
      change.add ? ['create', reactor] : ['delete', { partitionKey: room, rowKey: reactor.rowKey }],
      !row
        ? ['create', mineRow]
        : after.length > 0
          ? ['update', mineRow, 'Replace', { etag: row.etag }]
          : ['delete', { partitionKey: room, rowKey: mineRow.rowKey }],
    ];
    return { ...decision, rows };
  };
  return { decide, mine: () => mine };
}

/**
 * The emoji `userId` reacted with on each of `messages` that has reactions (by message id), for a
 * page shown to them: one key range of their rows, or a point read per reacted message when the
 * page's reacted messages lie far apart in the room's history (see {@link MINE_RANGE_SPAN}).
 */
export async function mineOf(
  room: string,
  userId: string,
  messages: readonly StoredMessage[],
): Promise<Map<string, ReadonlySet<string>>> {
  const reacted = messages.filter((message) => message.reactions && !message.deleted);
  const out = new Map<string, ReadonlySet<string>>(messages.map((message) => [message.id, new Set<string>()]));
  if (reacted.length === 0) return out;
  const client = await table('messages');
  const firsts = reacted.map((message) => message.first);
  const [low, high] = [Math.min(...firsts), Math.max(...firsts)];
  const byFirst = new Map<number, readonly string[]>();
  if (high - low < MINE_RANGE_SPAN) {
    const filter = `PartitionKey eq '${odata(room)}' and RowKey ge '${mineKey(userId, low)}' and RowKey le '${mineKey(userId, high)}'`;
    await storage(async () => {
      for await (const row of client.listEntities<MineEntity>({ queryOptions: { filter } })) {
        byFirst.set(Number(row.rowKey.slice(minePrefix(userId).length)), JSON.parse(row.emoji) as string[]);
      }
    });
  } else {
    const rows = await Promise.all(reacted.map((message) => readMine(client, room, userId, message.first)));
    rows.forEach((row, i) => row && byFirst.set(reacted[i].first, row.emoji));
  }
  for (const message of reacted) {
    out.set(message.id, new Set([...(byFirst.get(message.first) ?? []), ...legacyEmojiOf(message, userId)]));
  }
  return out;
}

function legacyEmojiOf(message: MessageState, userId: string): string[] {
  return Object.keys(message.legacyReactors ?? {}).filter((emoji) => isLegacyReactor(message, userId, emoji));
}

async function readMine(
  client: TableClient,
  room: string,
  userId: string,
  first: number,
): Promise<{ emoji: string[]; etag: string } | undefined> {
  try {
    const row = await storage(() => client.getEntity<MineEntity>(room, mineKey(userId, first)));
    return { emoji: JSON.parse(row.emoji) as string[], etag: row.etag };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Up to `max` people who reacted with `emoji` on the message (in key order: any few of them). */
async function readReactors(
  client: TableClient,
  room: string,
  first: number,
  emoji: string,
  max: number,
): Promise<UserRef[]> {
  const prefix = reactorsPrefix(first, emoji);
  const filter = `PartitionKey eq '${odata(room)}' and RowKey gt '${prefix}' and RowKey lt '${prefix}~'`;
  return storage(async () => {
    const pages = client.listEntities<ReactorEntity>({ queryOptions: { filter } }).byPage({ maxPageSize: max });
    for await (const page of pages) return page.map((row) => ({ id: row.userId, name: row.name }));
    return [];
  });
}

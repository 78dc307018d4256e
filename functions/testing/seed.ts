/** Seeds Table Storage for tests: many messages of one room, stored exactly as the functions store them. */
import type { TransactionAction } from '@azure/data-tables';

import type { Message } from '../../contract';
import { counterAction, newMessageRows, readRoomCounter, type StoredMessage } from '../domain/messages/room-log';
import { storage, table } from '../platform/storage/tables';

/**
 * Table Storage takes at most 100 operations in one transaction: the counter and 24 messages of 4
 * rows (marker, history, log, unread index; a mention adds one, so fewer of those fit).
 */
const IMPORT_ROWS = 99;

export interface ImportOptions {
  /** False: stored as before the unread index existed (no index rows, a counter without `indexFrom`). */
  readonly indexed?: boolean;
}

/** Appends the messages to the room's log in the order given, each taking the next change number. */
export async function importMessages(
  room: string,
  messages: readonly Omit<Message, 'seq'>[],
  { indexed = true }: ImportOptions = {},
): Promise<void> {
  const client = await table('messages');
  let next = 0;
  let counter = await readRoomCounter(room);
  while (next < messages.length) {
    const rows: TransactionAction[] = [];
    let count = 0;
    for (; next < messages.length; next++, count++) {
      const message = messages[next];
      const seq = counter.seq + count + 1;
      const stored: StoredMessage = {
        id: message.id,
        room,
        text: message.text,
        sender: message.sender,
        sentAt: message.sentAt,
        first: seq,
        seq,
        ...(message.mentions && { mentions: message.mentions }),
        ...(message.mentionsRoom && { mentionsRoom: true }),
      };
      const own = newMessageRows(stored, indexed);
      if (rows.length + own.length > IMPORT_ROWS) break;
      rows.push(...own);
    }
    const actions = [counterAction(room, counter, counter.seq + count, indexed), ...rows];
    await storage(() => client.submitTransaction(actions));
    counter = await readRoomCounter(room);
  }
}

/** Seeds Table Storage for tests: many messages of one room, stored exactly as the functions store them. */
import type { TransactionAction } from '@azure/data-tables';

import type { Message } from '../../contract';
import { counterAction, newMessageRows, readRoomCounter, type StoredMessage } from '../domain/messages/room-log';
import { storage, table } from '../platform/storage/tables';

/** Table Storage takes at most 100 operations in one transaction: the counter and 33 messages of 3 rows. */
const IMPORT_BATCH = 33;

/** Appends the messages to the room's log in the order given, each taking the next change number. */
export async function importMessages(room: string, messages: readonly Omit<Message, 'seq'>[]): Promise<void> {
  const client = await table('messages');
  for (let i = 0; i < messages.length; i += IMPORT_BATCH) {
    const counter = await readRoomCounter(room);
    const batch = messages.slice(i, i + IMPORT_BATCH);
    const actions: TransactionAction[] = [counterAction(room, counter, counter.seq + batch.length)];
    batch.forEach((message, index) => {
      const seq = counter.seq + index + 1;
      const stored: StoredMessage = {
        id: message.id,
        room,
        text: message.text,
        sender: message.sender,
        sentAt: message.sentAt,
        first: seq,
        seq,
      };
      actions.push(...newMessageRows(stored));
    });
    await storage(() => client.submitTransaction(actions));
  }
}

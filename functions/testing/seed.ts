/** Seeds Table Storage for tests: many messages of one room, stored exactly as the functions store them. */
import { type ChatMessage, type MarkerEntity, type MessageEntity, messageRows } from '../lib/messages-store';
import { storage, table } from '../lib/tables';

/** Table Storage takes at most 100 operations in one transaction: 50 messages with their markers. */
const IMPORT_BATCH = 50;

export async function importMessages(room: string, messages: readonly ChatMessage[]): Promise<void> {
  const client = await table('messages');
  for (let i = 0; i < messages.length; i += IMPORT_BATCH) {
    const actions = messages.slice(i, i + IMPORT_BATCH).flatMap((message) => {
      const { entity, marker } = messageRows({ ...message, room });
      return [
        ['create', marker],
        ['create', entity],
      ] as ['create', MarkerEntity | MessageEntity][];
    });
    await storage(() => client.submitTransaction(actions));
  }
}

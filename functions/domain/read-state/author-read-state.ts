/**
 * A new message is read by its author: their own messages are never unread, so their read position
 * moves to it, and their tabs receive `readState`.
 */
import type { InvocationContext } from '@azure/functions';

import type { Principal } from '../../platform/http/identity';
import { event, type SignalRMessageAction } from '../../platform/signalr/signalr';
import type { StoredMessage } from '../messages/room-log';
import { changeRow, countUnread, readStateFrom } from './read-state-store';

/**
 * Moves the author's read position to their new message and, when it moved, their `readState`.
 *
 * The move stays a read and a conditional write: the row's `version` counts every change (clients
 * order `readState` events by it) and the position must never move back past a newer one another
 * tab stored, and Table Storage has no write conditional on a property's value, so the current row
 * has to be read. The counts are not skipped either: messages of others stored after this one are
 * unread, and only the log knows whether there are any. But they depend only on the log and the
 * new position, which is known before the write (`stored.first`), so they are counted while the
 * row is read and written, and dropped when nothing moved. They are a snapshot of the log taken
 * during the send (whether just before or just after the write makes no difference to them); a
 * message stored after it reaches the tabs as `newMessage`.
 *
 * Best effort: the message is stored and its broadcast must not fail because of this, so a
 * storage failure is logged and nothing is sent.
 */
export async function authorReadState(
  context: InvocationContext,
  author: Principal,
  stored: StoredMessage,
): Promise<SignalRMessageAction[]> {
  const room = stored.room;
  const readSeq = stored.first;
  try {
    const [moved, counts] = await Promise.all([
      changeRow(author.id, room, (current) =>
        readSeq > current.readSeq ? { readSeq, muted: current.muted } : undefined,
      ),
      countUnread(room, author.id, readSeq),
    ]);
    if (!moved.changed) return [];
    return [{ ...event('readState', readStateFrom(moved.row, counts)), userId: author.id }];
  } catch (err) {
    context.warn(`messages: the author's read position of ${room} was not moved: ${String(err)}`);
    return [];
  }
}

/**
 * A new message is read by its author: their own messages are never unread, so their read position
 * moves to it, and their tabs receive `readState`.
 */
import type { InvocationContext } from '@azure/functions';

import type { Principal } from '../../platform/http/identity';
import { event, type SignalRMessageAction } from '../../platform/signalr/signalr';
import type { StoredMessage } from '../messages/room-log';
import {
  changeRow,
  type Counts,
  countUnread,
  readStateFrom,
  readTaggedRow,
  type TaggedRow,
  writeTaggedRow,
} from './read-state-store';

/**
 * Moves the author's read position to their new message, without a step of its own before the
 * send is answered: the row is read beside the send's first reads ({@link authorReadMove}), and
 * written beside the message's commit ({@link AuthorReadMove.beside}), with the number the commit
 * is to take, under the ETag it was read with; the counts are counted beside them.
 *
 * The move stays a conditional write: the row's `version` counts every change (clients order
 * `readState` events by it) and the position must never move back past a newer one another tab
 * stored. The counts depend only on the log and the new position, so they are a snapshot of the
 * log taken during the send (a message stored after it reaches the tabs as `newMessage`).
 *
 * When the write beside the commit did not hold (another tab wrote the row first, or the commit
 * took another number after a lost race) the move is made again after the commit, as a read and a
 * conditional write. When the send stored nothing (a repeated id, or the room was busy), a position
 * moved beside it is put back if nothing changed the row since. Best effort: the message is stored
 * and its broadcast must not fail because of this, so a storage failure is logged and nothing is
 * sent; the person's next mark-read moves the position anyway.
 */
export function authorReadMove(author: Principal, room: string): AuthorReadMove {
  return new AuthorReadMove(author, room);
}

interface Attempt {
  readonly seq: number;
  readonly written: Promise<TaggedRow | undefined>;
  readonly counts: Promise<Counts>;
}

export class AuthorReadMove {
  private readonly read: Promise<TaggedRow>;
  private attempt?: Attempt;

  constructor(
    private readonly author: Principal,
    private readonly room: string,
  ) {
    this.read = readTaggedRow(author.id, room);
    this.read.catch(() => undefined); // reported by settle
  }

  /** Beside the commit that is to take `seq` (createMessage's `beside`): only the first attempt writes. */
  readonly beside = (seq: number): void => {
    if (this.attempt) return;
    const written = this.read.then(({ row, etag }) =>
      seq > row.readSeq
        ? writeTaggedRow(this.author.id, { ...row, readSeq: seq, version: row.version + 1 }, etag)
        : undefined,
    );
    const counts = countUnread(this.room, this.author.id, seq);
    written.catch(() => undefined);
    counts.catch(() => undefined);
    this.attempt = { seq, written, counts };
  };

  /** After the commit: the author's `readState` when their position moved to `stored` (their new message). */
  async settle(context: InvocationContext, stored: StoredMessage): Promise<SignalRMessageAction[]> {
    const readSeq = stored.first;
    try {
      const attempt = this.attempt;
      if (attempt?.seq === readSeq) {
        const [written, counts] = await Promise.all([attempt.written, attempt.counts]);
        if (written) return [this.readState(readStateFrom(written.row, counts))];
      }
      // The write beside the commit did not hold: move it now (a read and a conditional write).
      const [moved, counts] = await Promise.all([
        changeRow(this.author.id, this.room, (current) =>
          readSeq > current.readSeq ? { readSeq, notify: current.notify } : undefined,
        ),
        countUnread(this.room, this.author.id, readSeq),
      ]);
      if (!moved.changed) return [];
      return [this.readState(readStateFrom(moved.row, counts))];
    } catch (err) {
      context.warn(`messages: the author's read position of ${this.room} was not moved: ${String(err)}`);
      return [];
    }
  }

  /** The send stored nothing new: puts back a position moved beside it, unless the row changed since. */
  async undo(context: InvocationContext): Promise<void> {
    try {
      const written = await this.attempt?.written;
      if (!written) return;
      const { row } = await this.read;
      await writeTaggedRow(this.author.id, { ...row, version: written.row.version + 1 }, written.etag);
    } catch (err) {
      context.warn(
        `messages: the author's read position of ${this.room} moved beside a send that stored nothing and was not put back: ${String(err)}`,
      );
    }
  }

  private readState(state: ReturnType<typeof readStateFrom>): SignalRMessageAction {
    return { ...event('readState', state), userId: this.author.id };
  }
}

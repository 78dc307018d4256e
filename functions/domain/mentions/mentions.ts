/**
 * Mentions of a new message: which of the requested ones are kept, and who is told.
 *
 * - `mentions` keeps, once each, the ids of people who are members of the room (for `general`,
 *   people Hubbub has seen); other ids are dropped silently, so a message from an outbox whose
 *   member list went stale is still delivered.
 * - `mentionsRoom` is kept only where the room allows `@room` (every room and DM but `general`).
 * - Each mentioned member, every member for `@room`, and the other person of a direct message (for
 *   every message) receives a `mention` event addressed to their user id — never the author, and
 *   nobody who muted the room.
 * - The author's read position moves to their new message (their own messages are never unread),
 *   and their tabs receive `readState`.
 *
 * An edit says again whom the message mentions (messages/message-changes.ts decideEdit): people it
 * mentions now and did not before receive `mention` as for a new message (by id, or every member
 * for an added `@room`; never the author, nobody who muted the room). The other person of a direct
 * message was told when it was sent and is not told again. Unread counts are counted from the log,
 * where the edited message stands once in its new state, so they follow by themselves; each person
 * whose count the edit moved (newly mentioned or no longer, and the message unread for them,
 * muted or not) receives `readState` with the counts, so their tabs show it at once.
 */
import type { InvocationContext } from '@azure/functions';

import { allowsRoomMentions, DM_PREFIX, GENERAL_ROOM, type Message } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { event, type SignalRMessageAction } from '../../platform/signalr/signalr';
import type { StoredMessage } from '../messages/room-log';
import { findUser } from '../people/people-store';
import { changeRow, countUnread, readRow, readStateFrom, touchRow } from '../read-state/read-state-store';
import { membersOf } from '../rooms/member-index-store';
import { isMember } from '../rooms/memberships-store';
import { getRoom } from '../rooms/rooms-store';

export interface KeptMentions {
  readonly mentions?: readonly string[];
  readonly mentionsRoom?: boolean;
}

export async function keptMentions(
  room: string,
  requested: readonly string[] | undefined,
  mentionsRoom: boolean | undefined,
): Promise<KeptMentions> {
  const unique = [...new Set(requested ?? [])];
  const known = await Promise.all(
    unique.map((id) => (room === GENERAL_ROOM ? findUser(id).then(Boolean) : isMember(room, id))),
  );
  const mentions = unique.filter((_, i) => known[i]);
  return {
    ...(mentions.length > 0 && { mentions }),
    ...(mentionsRoom && allowsRoomMentions(room) && { mentionsRoom: true }),
  };
}

/**
 * The SignalR messages that follow a new message besides `newMessage`: the author's `readState`,
 * then the `mention` events. Best effort: the message is stored and its broadcast must not fail
 * because of these, so a storage failure here is logged and only what could be worked out is sent.
 * The two are independent (the author is never told of a mention) and are worked out together.
 */
export async function followUps(
  context: InvocationContext,
  author: Principal,
  stored: StoredMessage,
  message: Message,
): Promise<SignalRMessageAction[]> {
  const [readState, mentioned] = await Promise.all([
    authorReadState(context, author, stored),
    mentionEvents(context, author, stored, message),
  ]);
  return [...readState, ...mentioned];
}

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
 */
async function authorReadState(
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

/** `mention` events to everyone the message tells (see the top of this file) who has not muted the room. */
async function mentionEvents(
  context: InvocationContext,
  author: Principal,
  stored: StoredMessage,
  message: Message,
): Promise<SignalRMessageAction[]> {
  const room = stored.room;
  try {
    const recipients = mentionedBy(stored, stored.mentionsRoom ? await membersOf(room) : []);
    if (room.startsWith(DM_PREFIX)) {
      const entity = await getRoom(room);
      for (const member of JSON.parse(entity?.members ?? '[]') as Principal[]) recipients.add(member.id);
    }
    recipients.delete(author.id);
    const ids = [...recipients];
    const muted = await Promise.all(ids.map((id) => readRow(id, room).then((row) => row.muted)));
    return ids.flatMap((id, i) => (muted[i] ? [] : [mention(id, message)]));
  } catch (err) {
    context.warn(`messages: mention events of ${stored.id} in ${room} were not sent: ${String(err)}`);
    return [];
  }
}

/**
 * What an edit sends besides `messageChanged` (see the top of this file): `mention` to the people
 * it newly mentions, and `readState` to those whose counts it moved. `previous` is the state the
 * edit replaced. Best effort like a send's: the edit is stored, so a failure here is logged.
 *
 * Per person whose mention changed: one read of their read state (their mute and position) and,
 * when the message is unread for them, a conditional write of its version and one count of the
 * room (as `GET /api/read-state` does per room); `@room` added or removed also lists the members.
 */
export async function editFollowUps(
  context: InvocationContext,
  author: Principal,
  previous: StoredMessage,
  stored: StoredMessage,
  message: Message,
): Promise<SignalRMessageAction[]> {
  const room = stored.room;
  // In a direct message every message already counts as mentioning the other person, who was told when it was sent.
  if (room.startsWith(DM_PREFIX)) return [];
  try {
    // With @room before and after, everyone was mentioned and still is: nobody's count moves.
    if (previous.mentionsRoom && stored.mentionsRoom) return [];
    const members = previous.mentionsRoom || stored.mentionsRoom ? await membersOf(room) : [];
    const before = mentionedBy(previous, members);
    const after = mentionedBy(stored, members);
    const added = [...after].filter((id) => !before.has(id) && id !== author.id);
    const removed = [...before].filter((id) => !after.has(id) && id !== author.id);
    const told = await Promise.all(
      [...added, ...removed].map(async (id, i): Promise<SignalRMessageAction[]> => {
        // The version moves only where the count does: the message is unread for them.
        const { changed, row } = await touchRow(id, room, (current) => stored.first > current.readSeq);
        const out: SignalRMessageAction[] = [];
        if (i < added.length && !row.muted) out.push(mention(id, message));
        if (changed) {
          const counts = await countUnread(room, id, row.readSeq);
          out.push({ ...event('readState', readStateFrom(row, counts)), userId: id });
        }
        return out;
      }),
    );
    return told.flat();
  } catch (err) {
    context.warn(`editMessage: mention events of ${stored.id} in ${room} were not sent: ${String(err)}`);
    return [];
  }
}

/** The people a message mentions: by id and, for `@room` where allowed, every member (`members`). */
function mentionedBy(message: StoredMessage, members: readonly string[]): Set<string> {
  const ids = new Set(message.mentions ?? []);
  if (message.mentionsRoom && allowsRoomMentions(message.room)) for (const id of members) ids.add(id);
  return ids;
}

function mention(userId: string, message: Message): SignalRMessageAction {
  return { ...event('mention', { room: message.room, message }), userId };
}

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
 *
 * (The author's own read position moves too: read-state/author-read-state.ts.)
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
import type { KeptMentions } from '../messages/message-changes';
import type { StoredMessage } from '../messages/room-log';
import { findUser } from '../people/people-store';
import { countUnread, readRow, readStateFrom, touchRow } from '../read-state/read-state-store';
import { membersOf } from '../rooms/member-index-store';
import { isMember } from '../rooms/memberships-store';
import { dmMembers, getRoom } from '../rooms/rooms-store';

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
 * `mention` events to everyone a new message tells (see the top of this file) who has not muted the
 * room. Best effort: the message is stored and its broadcast must not fail because of these, so a
 * storage failure here is logged and nothing is sent.
 */
export async function mentionEvents(
  context: InvocationContext,
  author: Principal,
  stored: StoredMessage,
  message: Message,
): Promise<SignalRMessageAction[]> {
  const room = stored.room;
  try {
    const recipients = mentionedBy(stored, stored.mentionsRoom ? await membersOf(room) : []);
    if (room.startsWith(DM_PREFIX)) {
      for (const member of dmMembers(await getRoom(room))) recipients.add(member.id);
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

/**
 * Mentions: which of the requested ones a message keeps, and whom it tells.
 *
 * - `mentions` keeps, once each, the ids of people who are members of the room (for `general`,
 *   people Hubbub has seen); other ids are dropped silently, so a message from an outbox whose
 *   member list went stale is still delivered.
 * - `mentionsRoom` is kept only where the room allows `@room` (every room and DM but `general`).
 *
 * Whom a new message tells (`mention` events): each person it names, by user id, and for `@room`
 * the room, as ONE event to its group (clients skip their own messages, rooms they muted and people
 * they blocked, as they do for any `mention`; people it also names are not told twice); in a DM, the
 * other person, while still a member. Never the author; nobody by id who muted the room or blocked
 * the author (people/blocks-store.ts), or (outside `general`) who is no longer a member when the
 * event is made.
 *
 * An edit tells only whom the message never told: people it newly names (the message keeps whom it
 * told, MessageState.told, so nobody is told twice however often it is edited) and the room when it
 * newly says `@room` and the room was never told. In a DM nobody is told again. Unread counts are
 * counted from the unread index, which the edit changed with the log; each person whose count the
 * edit moved by name (newly named or no longer, the message unread for them) receives `readState`.
 * An `@room` added or removed moves everyone's mention count by one: nobody is sent a `readState`
 * for it (that would be one per member); the room's `messageChanged` says it, and clients adjust
 * the counts they hold (src/app/read-state) until the next read state.
 *
 * Cost (docs/http-api.md "What each route costs"): a send reads the mute, the block row and (outside
 * `general`) the membership of each person it names (at most MAX_MENTIONS; a DM: its row, the other person's membership, mute and
 * block row); an edit as many, plus for each person whose count it moved by name (at most
 * 2 × MAX_MENTIONS) a read, a conditional write and a count. Nothing grows with the room's members.
 *
 * (The author's own read position moves too: read-state/author-read-state.ts.)
 */
import type { InvocationContext } from '@azure/functions';

import { allowsRoomMentions, DM_PREFIX, GENERAL_ROOM, type Message } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { event, roomMessage, type SignalRMessageAction } from '../../platform/signalr/signalr';
import { type KeptMentions, toldOf } from '../messages/message-changes';
import type { StoredMessage } from '../messages/room-log';
import { blocks } from '../people/blocks-store';
import { findUser } from '../people/people-store';
import { countUnread, readRow, readStateFrom, touchRow } from '../read-state/read-state-store';
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

/** What a new message stores about whom it tells (MessageState.told): the people it names, but the author. */
export function toldByNew(author: Principal, kept: KeptMentions): { told?: string[]; toldRoom?: boolean } {
  const told = (kept.mentions ?? []).filter((id) => id !== author.id);
  return { ...(told.length > 0 && { told }), ...(kept.mentionsRoom && { toldRoom: true }) };
}

/**
 * `mention` events of a new message (see the top of this file), also sent again when its author
 * announces it (a send whose first broadcast may have failed part-way). Best effort: the message is
 * stored and its broadcast must not fail because of these, so a storage failure here is logged and
 * nothing is sent (the author's announce sends them again).
 */
export async function mentionEvents(
  context: InvocationContext,
  author: Principal,
  stored: StoredMessage,
  message: Message,
): Promise<SignalRMessageAction[]> {
  const room = stored.room;
  try {
    if (room.startsWith(DM_PREFIX)) {
      const others = dmMembers(await getRoom(room)).filter((person) => person.id !== author.id);
      return tellPeople(
        room,
        others.map((person) => person.id),
        message,
        true,
      );
    }
    // The room's group event tells everyone it names too.
    if (stored.mentionsRoom && allowsRoomMentions(room)) return [roomMention(message)];
    // Members only, read again: an announce comes up to 10 minutes after the send, and someone
    // removed since (a private room's above all) must not be told what it says.
    return tellPeople(
      room,
      toldOf(stored).told.filter((id) => id !== author.id),
      message,
      room !== GENERAL_ROOM,
    );
  } catch (err) {
    context.warn(`messages: mention events of ${stored.id} in ${room} were not sent: ${String(err)}`);
    return [];
  }
}

/**
 * What an edit sends besides `messageChanged` (see the top of this file): `mention` to whom it told
 * (`stored.toldLast`, `stored.toldRoomLast`), and `readState` to those whose counts it moved by
 * name. `previous` is the state the edit replaced. Best effort like a send's: the edit is stored,
 * so a failure here is logged.
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
    const [told, counted] = await Promise.all([
      editMentions(stored, message),
      countsMovedByName(author, previous, stored),
    ]);
    return [...told, ...counted];
  } catch (err) {
    context.warn(`editMessage: mention events of ${stored.id} in ${room} were not sent: ${String(err)}`);
    return [];
  }
}

/** The `mention` events an edit sends (again, for an exact repeat of it, whose first events may have been lost). */
export async function editMentions(stored: StoredMessage, message: Message): Promise<SignalRMessageAction[]> {
  if (stored.room.startsWith(DM_PREFIX)) return [];
  if (stored.toldRoomLast) return [roomMention(message)];
  return tellPeople(stored.room, stored.toldLast ?? [], message, stored.room !== GENERAL_ROOM);
}

/**
 * `readState` to each person whose mention count the edit moved by name: newly named or no longer,
 * where the room-wide `@room` does not count them anyway, and the message unread for them (their
 * version moves only then). At most 2 × MAX_MENTIONS people.
 */
async function countsMovedByName(
  author: Principal,
  previous: StoredMessage,
  stored: StoredMessage,
): Promise<SignalRMessageAction[]> {
  const room = stored.room;
  const roomWide = (m: StoredMessage) => m.mentionsRoom === true && allowsRoomMentions(room);
  if (roomWide(previous) && roomWide(stored)) return [];
  const before = new Set(previous.mentions ?? []);
  const after = new Set(stored.mentions ?? []);
  const moved = [
    ...[...after].filter((id) => !before.has(id) && !roomWide(previous)),
    ...[...before].filter((id) => !after.has(id) && !roomWide(stored)),
  ].filter((id) => id !== author.id);
  const told = await Promise.all(
    moved.map(async (id): Promise<SignalRMessageAction[]> => {
      const { changed, row } = await touchRow(id, room, (current) => stored.first > current.readSeq);
      if (!changed) return [];
      const counts = await countUnread(room, id, row.readSeq);
      return [{ ...event('readState', readStateFrom(row, counts)), userId: id }];
    }),
  );
  return told.flat();
}

/**
 * `mention` to each of `ids` who has not muted the room nor blocked the author (and, `membersOnly`,
 * is still a member): two or three point reads each, together.
 */
async function tellPeople(
  room: string,
  ids: readonly string[],
  message: Message,
  membersOnly: boolean,
): Promise<SignalRMessageAction[]> {
  const unique = [...new Set(ids)];
  const reachable = await Promise.all(
    unique.map(async (id) => {
      const [row, member, blocked] = await Promise.all([
        readRow(id, room),
        membersOnly ? isMember(room, id) : true,
        blocks(id, message.sender.id),
      ]);
      return member && row.notify !== 'nothing' && !blocked;
    }),
  );
  return unique.flatMap((id, i) => (reachable[i] ? [mention(id, message)] : []));
}

function mention(userId: string, message: Message): SignalRMessageAction {
  return { ...event('mention', { room: message.room, message }), userId };
}

/** `@room`: one event to the room's group; each client applies its own mute and skips its own messages. */
function roomMention(message: Message): SignalRMessageAction {
  return roomMessage(message.room, 'mention', { room: message.room, message });
}

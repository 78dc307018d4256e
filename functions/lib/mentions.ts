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
 */
import type { InvocationContext } from '@azure/functions';

import { allowsRoomMentions, DM_PREFIX, GENERAL_ROOM, type Message } from '../../contract';
import type { Principal } from './identity';
import { changeRow, readRow, readStateOf } from './read-state-store';
import type { StoredMessage } from './room-log';
import { getRoom, isMember, membersOf } from './rooms-store';
import { event, type SignalRMessageAction } from './signalr';
import { findUser } from './users-store';

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
 * The SignalR messages that follow a new message besides `newMessage`. Best effort: the message is
 * stored and its broadcast must not fail because of these, so a storage failure here is logged and
 * only what could be worked out is sent.
 */
export async function followUps(
  context: InvocationContext,
  author: Principal,
  stored: StoredMessage,
  message: Message,
): Promise<SignalRMessageAction[]> {
  const room = stored.room;
  const actions: SignalRMessageAction[] = [];
  try {
    const moved = await changeRow(author.id, room, (current) =>
      stored.first > current.readSeq ? { readSeq: stored.first, muted: current.muted } : undefined,
    );
    if (moved.changed) {
      actions.push({ ...event('readState', await readStateOf(author.id, moved.row)), userId: author.id });
    }
  } catch (err) {
    context.warn(`messages: the author's read position of ${room} was not moved: ${String(err)}`);
  }
  try {
    const recipients = new Set(stored.mentions ?? []);
    if (room.startsWith(DM_PREFIX)) {
      const entity = await getRoom(room);
      for (const member of JSON.parse(entity?.members ?? '[]') as Principal[]) recipients.add(member.id);
    }
    if (stored.mentionsRoom) for (const id of await membersOf(room)) recipients.add(id);
    recipients.delete(author.id);
    const ids = [...recipients];
    const muted = await Promise.all(ids.map((id) => readRow(id, room).then((row) => row.muted)));
    ids.forEach((id, i) => {
      if (!muted[i]) actions.push({ ...event('mention', { room, message }), userId: id });
    });
  } catch (err) {
    context.warn(`messages: mention events of ${stored.id} in ${room} were not sent: ${String(err)}`);
  }
  return actions;
}

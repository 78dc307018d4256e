/**
 * Messages as the wire contract shows them: reactions as a list and each reply's quote resolved
 * from the message it answers as that message is now (its sender and the start of its text, or
 * that it was deleted), so a reply quotes correctly whichever page the original is on. Shown to one
 * person (`viewerId`), each reaction says whether it is theirs (reactors.ts mineOf).
 */
import { type Message, REPLY_EXCERPT_LENGTH, type ReplyQuote } from '../../../contract';
import { mineOf } from './reactors';
import { findMessage, type StoredMessage, toWire } from './room-log';

export async function present(room: string, messages: readonly StoredMessage[], viewerId?: string): Promise<Message[]> {
  const known = new Map<string, StoredMessage | undefined>(messages.map((message) => [message.id, message]));
  const missing = [...new Set(messages.flatMap((m) => (m.replyTo && !known.has(m.replyTo) ? [m.replyTo] : [])))];
  const [found, mine] = await Promise.all([
    Promise.all(missing.map((id) => findMessage(room, id))),
    viewerId === undefined ? undefined : mineOf(room, viewerId, messages),
  ]);
  found.forEach((message, i) => known.set(missing[i], message));
  return messages.map((message) => {
    const wire = toWire(message, mine?.get(message.id));
    return message.replyTo === undefined
      ? wire
      : { ...wire, replyTo: quoteOf(message.replyTo, known.get(message.replyTo)) };
  });
}

/** `mine`: for a message shown to one person, the emoji they reacted with on it. */
export async function presentOne(message: StoredMessage, mine?: ReadonlySet<string>): Promise<Message> {
  const [presented] = await present(message.room, [message]);
  return mine
    ? { ...presented, ...(presented.reactions && { reactions: toWire(message, mine).reactions }) }
    : presented;
}

function quoteOf(id: string, original: StoredMessage | undefined): ReplyQuote {
  if (!original || original.deleted) return { id, deleted: true };
  const excerpt =
    original.text.length > REPLY_EXCERPT_LENGTH
      ? `${original.text.slice(0, REPLY_EXCERPT_LENGTH - 1)}…`
      : original.text;
  return { id, sender: original.sender, excerpt };
}

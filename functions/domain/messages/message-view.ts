/**
 * Messages as the wire contract shows them: reactions as a list and each reply's quote resolved
 * from the message it answers as that message is now (its sender and the start of its text, or
 * that it was deleted), so a reply quotes correctly whichever page the original is on.
 */
import { type Message, REPLY_EXCERPT_LENGTH, type ReplyQuote } from '../../../contract';
import { findMessage, type StoredMessage, toWire } from './room-log';

export async function present(room: string, messages: readonly StoredMessage[]): Promise<Message[]> {
  const known = new Map<string, StoredMessage | undefined>(messages.map((message) => [message.id, message]));
  const missing = [...new Set(messages.flatMap((m) => (m.replyTo && !known.has(m.replyTo) ? [m.replyTo] : [])))];
  const found = await Promise.all(missing.map((id) => findMessage(room, id)));
  found.forEach((message, i) => known.set(missing[i], message));
  return messages.map((message) => {
    const wire = toWire(message);
    return message.replyTo === undefined
      ? wire
      : { ...wire, replyTo: quoteOf(message.replyTo, known.get(message.replyTo)) };
  });
}

export async function presentOne(message: StoredMessage): Promise<Message> {
  const [presented] = await present(message.room, [message]);
  return presented;
}

function quoteOf(id: string, original: StoredMessage | undefined): ReplyQuote {
  if (!original || original.deleted) return { id, deleted: true };
  const excerpt =
    original.text.length > REPLY_EXCERPT_LENGTH
      ? `${original.text.slice(0, REPLY_EXCERPT_LENGTH - 1)}…`
      : original.text;
  return { id, sender: original.sender, excerpt };
}

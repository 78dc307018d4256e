import { allowsRoomMentions, REPLY_EXCERPT_LENGTH, type UserRef } from '../../../contract';
import type { MentionOption } from '../mentions/mention.selectors';
import { encodeMentions, type PlacedMention, readableText, saysRoom } from '../mentions/mention-text';
import type { ChatMessage } from '../messages/chat-message';

/** Everyone's current name by id, as mentions show them. */
export type MentionNames = Readonly<Record<string, string>>;

/** What a quote shows of a message: its text with mentions as `@Name`, cut to the excerpt length. */
export function replyExcerpt(message: Pick<ChatMessage, 'text' | 'mentions'>, names: MentionNames): string {
  return readableText(message.text, message.mentions, (id) => names[id]).slice(0, REPLY_EXCERPT_LENGTH);
}

export interface OutgoingMessageInput {
  readonly id: string;
  readonly room: string;
  readonly sender: UserRef;
  readonly typed: string;
  /** The people picked from the `@` list, where in the text they were picked. */
  readonly picked: readonly PlacedMention[];
  /** Whom the room's `@` list offers (`@room` included or not: it is left out here). */
  readonly options: readonly MentionOption[];
  /** The message being answered, if any. */
  readonly replyingTo: ChatMessage | null;
  readonly names: MentionNames;
  readonly now: Date;
}

/**
 * A new message as the outbox sends it, pending until the server has it. The people picked from
 * the `@` list are mentioned by whom was picked; a name typed by hand by name, if only one person
 * has it; `@room` where the room allows it. A reply carries a quote of the original, shown at
 * once (the server's copy brings its own).
 */
export function outgoingMessage(input: OutgoingMessageInput): ChatMessage {
  const { room, replyingTo: original } = input;
  const people = input.options.filter((option) => !option.room);
  const { text, mentions } = encodeMentions(input.typed, people, input.picked);
  const mentionsRoom = allowsRoomMentions(room) && saysRoom(text);
  return {
    id: input.id,
    room,
    text,
    ...(mentions.length > 0 && { mentions }),
    ...(mentionsRoom && { mentionsRoom }),
    sender: input.sender,
    sentAt: input.now.toISOString(),
    status: 'pending',
    ...(original && {
      replyTo: { id: original.id, sender: original.sender, excerpt: replyExcerpt(original, input.names) },
    }),
  };
}

import { allowsRoomMentions } from '../../../contract';
import type { MentionOption } from '../mentions/mention.selectors';
import { encodeMentions, saysRoom } from '../mentions/mention-text';
import type { ChatMessage } from '../messages/chat-message';

/** What an edit changes: the encoded text, whom it mentions, and when and in which order it was made. */
export interface MessageEdit {
  readonly message: ChatMessage;
  readonly text: string;
  readonly mentions: readonly string[];
  readonly mentionsRoom: boolean;
  readonly revision: number;
  readonly editedAt: string;
}

export interface MessageEditInput {
  readonly message: ChatMessage;
  readonly typed: string;
  /** Whom the room's `@` list offers (`@room` is left out here). */
  readonly options: readonly MentionOption[];
  /** Everyone's current name by id. */
  readonly names: Readonly<Record<string, string>>;
  /** The revision of the previous edit made here (0 before the first). */
  readonly lastRevision: number;
  readonly now: Date;
}

/** Edits count up even within one millisecond, so the server keeps the newest of two quick edits. */
export function nextRevision(lastRevision: number, now: Date): number {
  return Math.max(now.getTime(), lastRevision + 1);
}

/**
 * An edit is encoded as a new message is: every `@Name` of someone the room's `@` list offers
 * becomes their token, and `@room` counts where allowed, so an edit can mention people or stop
 * mentioning them. The people the message already mentions come first (the list may hold only
 * the members found so far, and of two people with one name the one it meant stays).
 */
export function messageEdit(input: MessageEditInput): MessageEdit {
  const { message, names } = input;
  const mentioned = (message.mentions ?? []).map((id) => ({ id, name: names[id] ?? '' }));
  const people = [...mentioned, ...input.options.filter((option) => !option.room)];
  const { text, mentions } = encodeMentions(input.typed, people);
  return {
    message,
    text,
    mentions,
    mentionsRoom: allowsRoomMentions(message.room) && saysRoom(text),
    revision: nextRevision(input.lastRevision, input.now),
    editedAt: input.now.toISOString(),
  };
}

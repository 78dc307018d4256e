/**
 * A push's excerpt of a message: its markdown as plain text on one line (no markup, links as their
 * text, images as their description, code as its text), cut at MAX_PUSH_EXCERPT_LENGTH characters
 * with an ellipsis marking the cut. A mention token `<@id>` of someone the message mentions reads
 * as `@Name` (their current name, from `names`; the SPA writes mentions so: src/app/mentions/
 * mention-text.ts); any other stays text. A message of only attachments reads as `(attachment)`.
 */
import { MAX_PUSH_EXCERPT_LENGTH } from '../../../contract';

const MENTION_TOKEN = /<@([^\s<>]+)>/g;

/** The ids of the mention tokens in `text` that are among `mentions`. */
export function mentionedIn(text: string, mentions: readonly string[]): string[] {
  const kept = new Set(mentions);
  return [...new Set([...text.matchAll(MENTION_TOKEN)].map((m) => m[1]).filter((id) => kept.has(id)))];
}

export function excerptOf(
  markdown: string,
  hasAttachments = false,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const plain = markdown
    .replace(MENTION_TOKEN, (token, id: string) => {
      const name = names.get(id);
      return name === undefined ? token : `@${name}`;
    })
    .replace(/```[^\n]*\n?([\s\S]*?)```/g, '$1') // fenced code: its text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: their description
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links: their text
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1') // autolinks
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '') // headings, quotes, list marks
    .replace(/(\*\*|__|~~|\*|_|`)(?=\S)([\s\S]*?\S)\1/g, '$2') // emphasis, strikethrough, code spans
    .replace(/\\([\\`*_{}[\]()#+\-.!~>|])/g, '$1') // escapes
    .replace(/\s+/g, ' ')
    .trim();
  if (plain === '') return hasAttachments ? '(attachment)' : '';
  const chars = [...plain];
  if (chars.length <= MAX_PUSH_EXCERPT_LENGTH) return plain;
  return `${chars
    .slice(0, MAX_PUSH_EXCERPT_LENGTH - 1)
    .join('')
    .trimEnd()}…`;
}

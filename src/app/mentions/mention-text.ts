/**
 * How a mention is written in a message's text, and how it is read back.
 *
 * The message carries the ids it mentions (`mentions`, kept by the server for members of the
 * room); its text holds each one as `<@user-id>` where it was written, so it can be shown as the
 * person's *current* name wherever it appears. A `<@…>` whose id is not in the message's
 * `mentions` is not a mention and stays text (nobody can fake one by typing it). `@room` is plain
 * text, a mention only when the message has `mentionsRoom`.
 *
 * The composer shows `@Name`; {@link encodeMentions} turns those into tokens when sending. These
 * are pure functions, so the message text renderer can split its text runs with
 * {@link mentionSegments} too.
 */

/** Someone who can be mentioned. */
export interface Mentionable {
  readonly id: string;
  readonly name: string;
}

export const ROOM_MENTION = '@room';

const TOKEN = /<@([^\s<>]+)>/g;
/** What may follow a name for it to count as the whole name: not a letter, digit, `_` or `-`. */
const NAME_END = /^(?:$|[^\p{L}\p{N}_-])/u;
const ROOM_WORD = /(^|\s)@room(?![\p{L}\p{N}_-])/u;

export function mentionToken(id: string): string {
  return `<@${id}>`;
}

/**
 * `@Name` of each person (longest names first, so "@Ann Lee" wins over "@Ann") becomes their
 * token; returns the text to send and the ids it mentions, once each, in order.
 */
export function encodeMentions(
  text: string,
  people: readonly Mentionable[],
): { readonly text: string; readonly mentions: readonly string[] } {
  const byLength = [...people].filter((p) => p.name.length > 0).sort((a, b) => b.name.length - a.name.length);
  const mentions: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const atWordStart = text[i] === '@' && (i === 0 || /\s/.test(text[i - 1]));
    const person = atWordStart
      ? byLength.find(
          (p) =>
            text.startsWith(p.name, i + 1) && NAME_END.test(text.slice(i + 1 + p.name.length, i + 2 + p.name.length)),
        )
      : undefined;
    if (person) {
      out += mentionToken(person.id);
      if (!mentions.includes(person.id)) mentions.push(person.id);
      i += 1 + person.name.length;
    } else {
      out += text[i];
      i++;
    }
  }
  return { text: out, mentions };
}

/** Whether the text says `@room` as a word of its own. */
export function saysRoom(text: string): boolean {
  return ROOM_WORD.test(text);
}

export type MentionSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'mention'; readonly id: string; readonly name: string }
  | { readonly kind: 'room' };

/**
 * The text cut into plain runs and mentions: each token of an id the message mentions, as the
 * person's current name (`nameOf`, or "someone" when unknown), and `@room` when `mentionsRoom`.
 */
export function mentionSegments(
  text: string,
  mentions: readonly string[] | undefined,
  mentionsRoom: boolean | undefined,
  nameOf: (id: string) => string | undefined,
): MentionSegment[] {
  const segments: MentionSegment[] = [];
  const pushText = (run: string) => {
    if (run === '') return;
    if (!mentionsRoom) {
      segments.push({ kind: 'text', text: run });
      return;
    }
    const parts = run.split(/(?<=^|\s)@room(?![\p{L}\p{N}_-])/u);
    parts.forEach((part, index) => {
      if (index > 0) segments.push({ kind: 'room' });
      if (part !== '') segments.push({ kind: 'text', text: part });
    });
  };
  const ids = new Set(mentions ?? []);
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const id = match[1];
    if (!ids.has(id)) continue;
    pushText(text.slice(last, match.index));
    segments.push({ kind: 'mention', id, name: nameOf(id) ?? 'someone' });
    last = match.index + match[0].length;
  }
  pushText(text.slice(last));
  return segments;
}

/** The text as a person reads it, mentions as `@Name`: for notifications, excerpts and editing. */
export function readableText(
  text: string,
  mentions: readonly string[] | undefined,
  nameOf: (id: string) => string | undefined,
): string {
  // Most messages mention nobody: every message in view comes through here, so skip the scan.
  if (!mentions?.length) return text;
  return mentionSegments(text, mentions, false, nameOf)
    .map((segment) =>
      segment.kind === 'text' ? segment.text : segment.kind === 'mention' ? `@${segment.name}` : ROOM_MENTION,
    )
    .join('');
}

/** The people whose name (or a word of it) starts with `query`, ignoring case; best matches first. */
export function filterMentionables<T extends Mentionable>(people: readonly T[], query: string, limit = 8): T[] {
  const q = query.toLocaleLowerCase();
  const score = (name: string): number => {
    const lower = name.toLocaleLowerCase();
    if (lower.startsWith(q)) return 0;
    if (lower.split(/\s+/).some((word) => word.startsWith(q))) return 1;
    return -1;
  };
  return people
    .map((person) => ({ person, rank: score(person.name) }))
    .filter(({ rank }) => rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.person.name.localeCompare(b.person.name))
    .slice(0, limit)
    .map(({ person }) => person);
}

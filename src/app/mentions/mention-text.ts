/**
 * How a mention is written in a message's text, and how it is read back.
 *
 * The message carries the ids it mentions (`mentions`, kept by the server for members of the
 * room); its text holds each one as `<@user-id>` where it was written, so it can be shown as the
 * person's *current* name wherever it appears. A `<@…>` whose id is not in the message's
 * `mentions` is not a mention and stays text (nobody can fake one by typing it). `@room` is plain
 * text, a mention only when the message has `mentionsRoom`.
 *
 * The composer shows `@Name`; {@link encodeMentions} turns those into tokens when sending, the
 * people picked from the `@` list by where they were picked (two people may share a name), and
 * the rest by name. These are pure functions, so the message text renderer can split its text
 * runs with {@link mentionSegments} too.
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

/** Someone picked from the `@` list, and where in the text their `@Name` starts (the `@`). */
export interface PlacedMention extends Mentionable {
  readonly at: number;
}

export function mentionToken(id: string): string {
  return `<@${id}>`;
}

/** Whether `text` says `@name` at `at`: at the start of a word, and the whole name. */
function saysNameAt(text: string, at: number, name: string): boolean {
  return (
    name.length > 0 &&
    text[at] === '@' &&
    (at === 0 || /\s/.test(text[at - 1])) &&
    text.startsWith(name, at + 1) &&
    NAME_END.test(text.slice(at + 1 + name.length, at + 2 + name.length))
  );
}

/** Whether the text still says the picked `@Name` where it was picked. */
export function readsMention(text: string, mention: PlacedMention): boolean {
  return saysNameAt(text, mention.at, mention.name);
}

/**
 * Where the mentions placed in `before` are in `after`, one edit later (the caret at `caret`
 * after it, as an `input` event leaves it): those before the edit stay, those after it move with
 * the text, and those the edit touched (or that no longer read as their `@Name`) are dropped.
 * The caret says which of two equal runs was edited: deleting the first "@Ann " of
 * "@Ann @Ann " drops the first pick, not the second.
 */
export function moveMentions(
  mentions: readonly PlacedMention[],
  before: string,
  after: string,
  caret: number,
): readonly PlacedMention[] {
  if (mentions.length === 0 || before === after) return mentions;
  let prefix = 0;
  let suffix: number;
  const followsCaret = after.slice(caret);
  if (caret >= 0 && caret <= after.length && followsCaret.length <= before.length && before.endsWith(followsCaret)) {
    // What follows the caret is what followed the edit; the edit began at or before the caret.
    suffix = followsCaret.length;
    const limit = Math.min(caret, before.length - suffix);
    while (prefix < limit && before[prefix] === after[prefix]) prefix++;
  } else {
    const shorter = Math.min(before.length, after.length);
    while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
    suffix = 0;
    while (suffix < shorter - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) {
      suffix++;
    }
  }
  const editEnd = before.length - suffix;
  const shift = after.length - before.length;
  return mentions.flatMap((mention) => {
    const end = mention.at + 1 + mention.name.length;
    const moved = end <= prefix ? mention : mention.at >= editEnd ? { ...mention, at: mention.at + shift } : null;
    return moved && readsMention(after, moved) ? [moved] : [];
  });
}

/**
 * Turns the mentions in `text` into tokens; returns the text to send and the ids it mentions,
 * once each, in order. Each `picked` mention that the text still says where it was picked is its
 * person's token, whoever else has that name. Any other `@Name` of someone in `people` (longest
 * names first, so "@Ann Lee" wins over "@Ann") is their token too, unless two of `people` have
 * that name: then it stays text, as guessing could mention (and notify) the wrong one.
 */
export function encodeMentions(
  text: string,
  people: readonly Mentionable[],
  picked: readonly PlacedMention[] = [],
): { readonly text: string; readonly mentions: readonly string[] } {
  const byLength = [...people].filter((p) => p.name.length > 0).sort((a, b) => b.name.length - a.name.length);
  const idsByName = new Map<string, Set<string>>();
  for (const { id, name } of byLength) idsByName.set(name, (idsByName.get(name) ?? new Set()).add(id));
  const pickedAt = new Map(picked.filter((mention) => readsMention(text, mention)).map((m) => [m.at, m]));
  const mentions: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const person = pickedAt.get(i) ?? (text[i] === '@' ? byLength.find((p) => saysNameAt(text, i, p.name)) : undefined);
    if (!person) {
      out += text[i];
      i++;
      continue;
    }
    const end = i + 1 + person.name.length;
    if (pickedAt.has(i) || idsByName.get(person.name)!.size === 1) {
      out += mentionToken(person.id);
      if (!mentions.includes(person.id)) mentions.push(person.id);
    } else {
      out += text.slice(i, end);
    }
    i = end;
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

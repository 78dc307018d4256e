/**
 * Whether a message, as it is now, matches a parsed query, and which parts of its text did: the
 * index only finds candidates, this decides (docs/search.md, "Queries"). Attachment file names
 * count as the message's words; they match but are not highlighted (highlights are of the text).
 */
import type { TextRange } from '../../../contract';
import type { StoredMessage } from '../messages/room-log';
import type { Has, ParsedQuery, TermGroup } from './query';
import { type Token, tokenize } from './tokens';

const LINK = /\bhttps?:\/\/|\bwww\./i;

/** What {@link hasOf} checks of a message. */
export function hasOf(message: Pick<StoredMessage, 'text' | 'attachments'>): Has[] {
  const attachments = message.attachments ?? [];
  return [
    ...(attachments.length > 0 ? (['file'] as const) : []),
    ...(attachments.some((file) => file.type.startsWith('image/')) ? (['image'] as const) : []),
    ...(LINK.test(message.text) ? (['link'] as const) : []),
  ];
}

/** The highlights of a match (possibly none), or undefined when the message does not match. */
export function matchMessage(message: StoredMessage, query: ParsedQuery): TextRange[] | undefined {
  if (message.deleted) return undefined;
  const sent = Date.parse(message.sentAt);
  if (query.sentFrom !== undefined && !(sent >= query.sentFrom)) return undefined;
  if (query.sentTo !== undefined && !(sent < query.sentTo)) return undefined;
  if (query.fromIds.length > 0 || query.fromNames.length > 0) {
    const name = tokenize(message.sender.name).map((token) => token.term);
    const byId = query.fromIds.includes(message.sender.id);
    const byName = query.fromNames.some((words) => words.every((word) => name.some((part) => part.startsWith(word))));
    if (!byId && !byName) return undefined;
  }
  const has = hasOf(message);
  if (!query.has.every((kind) => has.includes(kind))) return undefined;
  const text = tokenize(message.text);
  const names = (message.attachments ?? []).map((file) => tokenize(file.name));
  const highlights: TextRange[] = [];
  for (const group of query.groups) {
    const inText = find(text, group);
    if (inText.length > 0) {
      highlights.push(...inText);
      continue;
    }
    if (!names.some((name) => find(name, group).length > 0)) return undefined;
  }
  for (const group of query.excluded) {
    if (find(text, group).length > 0 || names.some((name) => find(name, group).length > 0)) return undefined;
  }
  return merge(highlights);
}

/** Every place the group matches in `tokens`, as ranges of the original text. */
function find(tokens: readonly Token[], group: TermGroup): TextRange[] {
  const found: TextRange[] = [];
  const { terms } = group;
  const last = terms.length - 1;
  for (let i = 0; i + last < tokens.length; i++) {
    let matched = true;
    for (let k = 0; k <= last; k++) {
      const term = tokens[i + k].term;
      const ok = k === last && group.prefix ? term.startsWith(terms[k]) : term === terms[k];
      if (!ok) {
        matched = false;
        break;
      }
    }
    if (matched) found.push({ start: tokens[i].start, end: tokens[i + last].end });
  }
  return found;
}

/** Ranges in text order, overlapping ones joined. */
function merge(ranges: TextRange[]): TextRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: TextRange[] = [];
  for (const range of sorted) {
    const previous = out.at(-1);
    if (previous && range.start <= previous.end) {
      out[out.length - 1] = { start: previous.start, end: Math.max(previous.end, range.end) };
    } else {
      out.push(range);
    }
  }
  return out;
}

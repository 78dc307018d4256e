/**
 * What a search's `q` asks for (docs/search.md, "Queries"): words (all must match, the last one
 * also as a prefix), `"a phrase"` (its words in that order), `-word` or `-"a phrase"` (must not
 * match), and operators `from:<name or @id>`, `in:<room>`, `has:file|image|link`,
 * `before:`/`after:`/`on:YYYY-MM-DD` (days in UTC). Whatever cannot be understood is a
 * {@link QueryError} saying what is wrong, which the route answers as a 400.
 */
import { MAX_SEARCH_TERMS, ROOM_NAME_PATTERN } from '../../../contract';
import { MAX_TOKEN_LENGTH, tokenize } from './tokens';

/** Terms that must all appear; `adjacent`: in this order, each right after the one before. */
export interface TermGroup {
  readonly terms: readonly string[];
  readonly adjacent: boolean;
  /** The last term also matches a longer word that starts with it (the query's last bare word). */
  readonly prefix: boolean;
}

export type Has = 'file' | 'image' | 'link';

export interface ParsedQuery {
  readonly groups: readonly TermGroup[];
  readonly excluded: readonly TermGroup[];
  /** `from:@id`: these ids; `from:name`: folded name words (the sender's name must have them all). */
  readonly fromIds: readonly string[];
  readonly fromNames: readonly (readonly string[])[];
  readonly rooms: readonly string[];
  readonly has: readonly Has[];
  /** Milliseconds since the epoch: sent at or after `from`, before `to`. */
  readonly sentFrom?: number;
  readonly sentTo?: number;
}

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

const OPERATORS = ['from', 'in', 'has', 'before', 'after', 'on'] as const;
type Operator = (typeof OPERATORS)[number];
const HAS: readonly Has[] = ['file', 'image', 'link'];
/** Every term of every group and exclusion together, at most (a CJK run is a term per character). */
export const MAX_QUERY_TERMS = 2 * MAX_SEARCH_TERMS;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Part {
  readonly text: string;
  readonly quoted: boolean;
  readonly negated: boolean;
  readonly operator?: string;
}

export function parseQuery(q: string): ParsedQuery {
  const parts = split(q);
  if (parts.length > MAX_SEARCH_TERMS) {
    throw new QueryError(`A search may have at most ${MAX_SEARCH_TERMS} words, phrases and operators`);
  }
  const groups: TermGroup[] = [];
  const excluded: TermGroup[] = [];
  const fromIds: string[] = [];
  const fromNames: string[][] = [];
  const rooms: string[] = [];
  const has: Has[] = [];
  let sentFrom: number | undefined;
  let sentTo: number | undefined;
  const lastBare = parts.findLastIndex((part) => part.operator === undefined);
  parts.forEach((part, index) => {
    if (part.operator !== undefined) {
      const operator = part.operator.toLowerCase();
      if (!(OPERATORS as readonly string[]).includes(operator)) {
        throw new QueryError(`Unknown operator ${part.operator}: (use from:, in:, has:, before:, after: or on:)`);
      }
      if (part.negated) throw new QueryError(`-${operator}: is not supported: leave out the "-"`);
      const value = part.text.trim();
      if (!value) throw new QueryError(`${operator}: needs a value, as in ${example(operator as Operator)}`);
      switch (operator as Operator) {
        case 'from':
          if (value.startsWith('@')) {
            if (value.length < 2) throw new QueryError("from:@ needs a person's id, as in from:@alice-id");
            fromIds.push(value.slice(1));
          } else {
            const words = tokenize(value).map((token) => token.term);
            if (words.length === 0) throw new QueryError(`from: needs a name, as in ${example('from')}`);
            fromNames.push(words);
          }
          return;
        case 'in': {
          const room = value.replace(/^#/, '').toLowerCase();
          if (!ROOM_NAME_PATTERN.test(room)) throw new QueryError(`in: needs a room name, as in ${example('in')}`);
          rooms.push(room);
          return;
        }
        case 'has': {
          const kind = value.toLowerCase();
          if (!(HAS as readonly string[]).includes(kind)) {
            throw new QueryError(`has: takes file, image or link, not ${value}`);
          }
          if (!has.includes(kind as Has)) has.push(kind as Has);
          return;
        }
        case 'before': {
          const day = dayOf(operator, value);
          sentTo = Math.min(sentTo ?? Infinity, day);
          return;
        }
        case 'after': {
          const day = dayOf(operator, value);
          sentFrom = Math.max(sentFrom ?? -Infinity, day + DAY_MS);
          return;
        }
        case 'on': {
          const day = dayOf(operator, value);
          sentFrom = Math.max(sentFrom ?? -Infinity, day);
          sentTo = Math.min(sentTo ?? Infinity, day + DAY_MS);
          return;
        }
      }
    }
    const tokens = tokenize(part.text);
    if (tokens.length === 0) return;
    const group: TermGroup = {
      terms: tokens.map((token) => token.term),
      adjacent: part.quoted || tokens.length > 1,
      prefix: index === lastBare && !part.quoted && !part.negated,
    };
    (part.negated ? excluded : groups).push(group);
  });
  const total = [...groups, ...excluded].reduce((sum, group) => sum + group.terms.length, 0);
  if (total > MAX_QUERY_TERMS) throw new QueryError(`A search may have at most ${MAX_QUERY_TERMS} words in all`);
  const asks = groups.length + excluded.length + fromIds.length + fromNames.length + rooms.length + has.length;
  if (asks === 0 && sentFrom === undefined && sentTo === undefined) {
    throw new QueryError('Type a word to search for (punctuation alone finds nothing)');
  }
  return {
    groups,
    excluded,
    fromIds,
    fromNames,
    rooms: [...new Set(rooms)],
    has,
    ...(sentFrom !== undefined && { sentFrom }),
    ...(sentTo !== undefined && { sentTo }),
  };
}

function example(operator: Operator): string {
  switch (operator) {
    case 'from':
      return 'from:alice or from:@alice-id';
    case 'in':
      return 'in:general';
    case 'has':
      return 'has:file';
    default:
      return `${operator}:2026-12-07`;
  }
}

/** The UTC midnight starting a `YYYY-MM-DD` day. */
function dayOf(operator: string, value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  const date = new Date(time);
  if (
    !match ||
    !Number.isFinite(time) ||
    date.getUTCFullYear() !== Number(match[1]) ||
    date.getUTCMonth() !== Number(match[2]) - 1 ||
    date.getUTCDate() !== Number(match[3])
  ) {
    throw new QueryError(`${operator}: needs a date as YYYY-MM-DD, not ${value.slice(0, 40)}`);
  }
  return time;
}

/**
 * The query's parts: runs of non-space characters, `"…"` (a phrase, to the closing quote or the
 * end), a leading `-` negating one, and `name:value` operators (the value may be quoted). A URL's
 * scheme (`https://…`) is text, not an operator.
 */
function split(q: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && /\s/.test(q[i])) i++;
    if (i >= q.length) break;
    let negated = false;
    if (q[i] === '-' && i + 1 < q.length && !/\s/.test(q[i + 1])) {
      negated = true;
      i++;
    }
    let operator: string | undefined;
    const head = /^([A-Za-z]+):(?!\/\/)/.exec(q.slice(i, i + 20));
    if (head) {
      operator = head[1];
      i += head[0].length;
    }
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      const end = close === -1 ? q.length : close;
      parts.push({ text: q.slice(i + 1, end), quoted: true, negated, ...(operator !== undefined && { operator }) });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < q.length && !/\s/.test(q[end])) end++;
    const text = q.slice(i, end);
    // A word longer than a token is cut like one; the rest of it adds nothing to look for.
    parts.push({
      text: text.length > MAX_TOKEN_LENGTH * 4 ? text.slice(0, MAX_TOKEN_LENGTH * 4) : text,
      quoted: false,
      negated,
      ...(operator !== undefined && { operator }),
    });
    i = end;
  }
  return parts;
}

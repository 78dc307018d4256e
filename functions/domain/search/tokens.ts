/**
 * How text becomes search tokens (docs/search.md, "Words"): the message and the query go through
 * the same steps, so whatever a person types finds what was written.
 *
 * - Case and accents fold: NFKD, combining marks dropped, lower case (`Élan` = `elan`, `ﬁ` = `fi`,
 *   full-width `ＡＢＣ` = `abc`, `ß` = `ss`).
 * - A word is a run of letters and digits; everything else (punctuation, spaces, symbols) separates.
 * - Each emoji (with its skin tone and joined parts) is a token of its own.
 * - Scripts written without spaces (Chinese, Japanese kana and kanji, Thai, …) give one token per
 *   character, and a query's run of them must appear as written: substring matching.
 * - A word longer than {@link MAX_TOKEN_LENGTH} is cut to that length, in the message and the
 *   query alike, so any longer word still finds itself.
 */

/** Characters of a word past this are dropped (a URL's long path, a pasted hash). */
export const MAX_TOKEN_LENGTH = 64;

export interface Token {
  /** The folded token. */
  readonly term: string;
  /** UTF-16 offsets of what it came from in the original text. */
  readonly start: number;
  readonly end: number;
  /** One character of a script written without spaces: it must be next to the one before to match a run. */
  readonly unspaced?: boolean;
}

const WORD_OR_EMOJI =
  /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*|\p{Extended_Pictographic}(?:\p{M}|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*|\p{Regional_Indicator}{2}/gu;
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u30FC\u3005]/u;
const MARKS = /\p{M}/gu;

/** One piece of text folded as search compares it: no accents, lower case, compatibility forms unified. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(/ß/g, 'ss').normalize('NFC');
}

/** The tokens of `text` in order, each with where it came from. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD_OR_EMOJI)) {
    const start = match.index;
    const raw = match[0];
    if (!UNSPACED.test(raw)) {
      push(tokens, raw, start, false);
      continue;
    }
    // A run that mixes scripts (`東京tower`): each unspaced character alone, the rest as words.
    let offset = 0;
    let word = '';
    let wordStart = 0;
    for (const char of raw) {
      if (UNSPACED.test(char)) {
        if (word) push(tokens, word, start + wordStart, false);
        word = '';
        push(tokens, char, start + offset, true);
      } else if (/\p{M}/u.test(char) && !word) {
        // A mark on an unspaced character (a dakuten written apart) folds away with it.
      } else {
        if (!word) wordStart = offset;
        word += char;
      }
      offset += char.length;
    }
    if (word) push(tokens, word, start + wordStart, false);
  }
  return tokens;
}

function push(tokens: Token[], raw: string, start: number, unspaced: boolean): void {
  const folded = fold(raw);
  if (!folded) return;
  const term = [...folded].slice(0, MAX_TOKEN_LENGTH).join('');
  tokens.push({ term, start, end: start + raw.length, ...(unspaced && { unspaced: true }) });
}

/** The folded terms of `text`, in order. */
export function terms(text: string): string[] {
  return tokenize(text).map((token) => token.term);
}

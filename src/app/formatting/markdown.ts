/**
 * Message text → a small tree of the formatting chat supports, and nothing else.
 *
 * `marked`'s lexer parses (GitHub-flavoured Markdown; a single newline stays in the text, which the
 * template shows as a line break, so copied text and screen readers keep it too); this
 * module keeps only the allowed subset — bold, italic, strikethrough, inline code, fenced code
 * blocks, block quotes, lists, links — and turns every other token (raw HTML, headings, images,
 * tables, rules, link definitions, indented code) back into the text that was typed. The tree
 * holds strings only; the template renders them with interpolation, so no text is ever parsed as
 * HTML. Links keep only `http:`, `https:` and `mailto:` destinations, judged by the URL parser the
 * browser itself would use.
 *
 * Mentions: the lexer never sees a person's name. Names may hold Markdown (`[x](https://…)`,
 * `*`, `_`, backticks), so a name put into the text before lexing would become a link or
 * emphasis in every message that mentions its owner. Each `<@id>` token of a mentioned person is
 * lexed as a placeholder instead, and the converter puts the name back only as the text of a chip
 * (or as plain `@Name` inside code and text shown as typed).
 */
import { Lexer, type Token, type Tokens } from 'marked';

import { mentionSegments, mentionToken } from '../mentions/mention-text';
import {
  asTyped,
  type BlockNode,
  type FormatOptions,
  type InlineNode,
  MAX_DEPTH,
  type MentionName,
  SHORTCODE,
} from './format-tree';

/** Link destinations kept as links; anything else (`javascript:`, `data:`, relative …) stays text. */
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The href of a link that may be followed, or null. */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/**
 * What `marked` would take super-linear time on, found by one linear scan before lexing, so that
 * no message costs more than a few milliseconds to format (the spec measures it):
 *
 * - Its inline lexer pairs emphasis delimiters by scanning ahead from each one, which costs the
 *   square of their number when few pair up (`'***a** '` × 571: about 40 ms; 4,000 characters of
 *   `_a_a…`: about 50 ms). A message with more than {@link MAX_EMPHASIS_MARKERS} `*`, `_` or `~`,
 *   or with a long unbroken run full of them, is shown as typed, which costs nothing. (100 bold
 *   phrases still format.) So is one with a list item indented deeper than any list shown.
 * - Each level of a nested list or quote lexes the rest of its line again (`'1. '` × 1,333: about
 *   35 ms). Levels beyond {@link MAX_DEPTH} are shown as typed anyway, so a line's markers past
 *   that depth are hidden from the lexer (see {@link Verbatim}) and put back as the text typed.
 */
const MAX_EMPHASIS_MARKERS = 400;
const LONG_RUN = /\S{256,}/g;
const MAX_MARKERS_PER_RUN = 64;
/** Deeper than any list the formatting shows (MAX_DEPTH levels of at most 4 columns each). */
const MAX_ITEM_INDENT = 4 * (MAX_DEPTH + 1);
const INDENTED_ITEM = /^([ \t]+)(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/gm;

function slowToLex(text: string): boolean {
  let markers = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    // `*`, `_`, `~`
    if ((char === 42 || char === 95 || char === 126) && ++markers > MAX_EMPHASIS_MARKERS) return true;
  }
  for (const [run] of text.matchAll(LONG_RUN)) {
    let inRun = 0;
    for (const char of run) if ((char === '*' || char === '_') && ++inRun > MAX_MARKERS_PER_RUN) return true;
  }
  // A list nested by indentation costs the lexer about the cube of its depth (60 levels: 30 ms).
  for (const [, indent] of text.matchAll(INDENTED_ITEM)) {
    if (indent.replaceAll('\t', '    ').length > MAX_ITEM_INDENT) return true;
  }
  return false;
}

/** One list or quote marker at the start of what is left of a line (up to 3 spaces before it). */
const CONTAINER_MARKER = /^ {0,3}(?:(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]?)/;

const VERBATIM_OPEN = '\u0093';
const VERBATIM_CLOSE = '\u0094';
const VERBATIM = /\u0093(\d+)\u0094/g;

/**
 * Lines nested deeper than the formatting shows, their too-deep part made a placeholder
 * `\u0093<n>\u0094` (C1 controls, refused in stored text like the mention placeholders) that the
 * lexer takes for a word; the converter shows it as the text it stands for.
 */
class Verbatim {
  readonly parts: string[] = [];

  hide(text: string): string {
    if (!text.includes('\n') && text.length < 3 * (MAX_DEPTH + 2)) return text;
    return text
      .split('\n')
      .map((line) => {
        let rest = line;
        for (let depth = 0; depth <= MAX_DEPTH; depth++) {
          const marker = CONTAINER_MARKER.exec(rest);
          if (!marker) return line;
          rest = rest.slice(marker[0].length);
        }
        if (!CONTAINER_MARKER.test(rest)) return line;
        this.parts.push(rest);
        return `${line.slice(0, line.length - rest.length)}${VERBATIM_OPEN}${this.parts.length - 1}${VERBATIM_CLOSE}`;
      })
      .join('\n');
  }

  show(text: string): string {
    return this.parts.length > 0 && text.includes(VERBATIM_OPEN)
      ? text.replace(VERBATIM, (_, i: string) => this.parts[Number(i)])
      : text;
  }
}

/**
 * A mention placeholder is `\u0091<n>\u0092`, n the index of the person in `options.mentions`.
 * U+0091 and U+0092 are the C1 controls PRIVATE USE ONE and TWO: the contract refuses every C1
 * control in message text and names (MessageTextSchema, DisplayNameSchema), so no stored text
 * holds them, unlike the private-use area U+E000–U+F8FF, which the contract lets anyone type.
 * Text that holds them anyway (it was not checked) has them replaced, and U+0093 and U+0094 too
 * ({@link Verbatim}'s), so a placeholder is only ever one this module wrote. To the lexer they are neither whitespace nor punctuation, like
 * letters: `*<@id>*` is emphasis around the chip as `*Ann*` would be, `a_<@id>_b` is not.
 */
const OPEN = '\u0091';
const CLOSE = '\u0092';
const PLACEHOLDER = /\u0091(\d+)\u0092/g;
const BRACKETS = /[\u0091-\u0094]/g;

/** The text with each token of a mentioned person as a placeholder, ready to lex. */
function withPlaceholders(text: string, mentions: readonly MentionName[]): string {
  if (/[\u0091-\u0094]/.test(text)) text = text.replace(BRACKETS, '\uFFFD');
  if (mentions.length === 0 || !text.includes('<@')) return text;
  const index = new Map<string, number>();
  mentions.forEach(({ id }, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  let out = '';
  // Without mentionsRoom there are only text and mention segments.
  for (const segment of mentionSegments(text, [...index.keys()], false, () => '')) {
    if (segment.kind === 'text') out += segment.text;
    else if (segment.kind === 'mention') out += `${OPEN}${index.get(segment.id)}${CLOSE}`;
  }
  return out;
}

/** Lexed text with its placeholders as the reader should read them (`@Name`), or as typed (`<@id>`). */
class Placeholders {
  readonly verbatim = new Verbatim();

  constructor(private readonly mentions: readonly MentionName[]) {}

  readable(text: string): string {
    text = this.verbatim.show(text);
    return text.includes(OPEN) ? text.replace(PLACEHOLDER, (_, i: string) => `@${this.at(i).name}`) : text;
  }

  typed(text: string): string {
    text = this.verbatim.show(text);
    return text.includes(OPEN) ? text.replace(PLACEHOLDER, (_, i: string) => mentionToken(this.at(i).id)) : text;
  }

  at(index: string): MentionName {
    return this.mentions[Number(index)];
  }
}

export function formatMessage(text: string, options: FormatOptions = {}): readonly BlockNode[] {
  const mentions = options.mentions ?? [];
  const lexable = withPlaceholders(text, mentions);
  const placeholders = new Placeholders(mentions);
  if (slowToLex(lexable)) return asTyped(placeholders.readable(lexable));
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(endBlocksAtUnmarkedLines(placeholders.verbatim.hide(lexable)));
  } catch {
    // The lexer recurses per nesting level: thousands of `>` or `1. ` exhaust the stack. The
    // message is then shown exactly as typed.
    return asTyped(placeholders.readable(lexable));
  }
  return new Converter(options, placeholders).blocks(tokens, 0);
}

/**
 * The message as plain text, as it reads formatted: no Markdown markers, mentions as `@Name`,
 * shortcodes as emoji when `options.emoji` is given, code as its text, links as their text, one
 * line per paragraph, list item ("• " or "3. ") and quoted line. For places that show text
 * without markup, such as a browser notification's body.
 */
export function plainText(text: string, options: FormatOptions = {}): string {
  return blocksText(formatMessage(text, options)).join('\n');
}

function blocksText(blocks: readonly BlockNode[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'paragraph':
        lines.push(inlinesText(block.children));
        break;
      case 'plain':
      case 'codeblock':
        lines.push(block.text);
        break;
      case 'quote':
        lines.push(...blocksText(block.children));
        break;
      case 'list':
        block.items.forEach((item, i) => {
          const [first = '', ...rest] = blocksText(item);
          lines.push(`${block.ordered ? `${(block.start ?? 1) + i}.` : '•'} ${first}`, ...rest);
        });
        break;
    }
  }
  return lines;
}

function inlinesText(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
        case 'code':
        case 'mention':
          return node.text;
        case 'br':
          return '\n';
        default:
          return inlinesText(node.children);
      }
    })
    .join('');
}

const QUOTE_LINE = /^ {0,3}>/;
const LIST_LINE = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const INDENTED = /^[ \t]/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * In chat, `>` quotes one line: the next line without `>` is the reply to it; and a line typed
 * right after a list item, not indented and not an item itself, is the text after the list.
 * Markdown would continue the quote or the item ("lazy continuation"), so a blank line is put
 * between them, except inside fenced code. An indented line still continues its item.
 */
function endBlocksAtUnmarkedLines(text: string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  let quoted = false;
  let listed = false;
  const out: string[] = [];
  for (const line of lines) {
    const isQuote = QUOTE_LINE.test(line);
    const isItem = !isQuote && LIST_LINE.test(line);
    const blank = line.trim() === '';
    if (fence === null && !blank) {
      if ((quoted && !isQuote) || (listed && !isItem && !isQuote && !INDENTED.test(line))) out.push('');
    }
    const opener = isQuote ? null : FENCE.exec(line);
    if (opener) {
      const mark = opener[1];
      if (fence === null) fence = mark;
      else if (mark[0] === fence[0] && mark.length >= fence.length) fence = null;
    }
    quoted = fence === null && isQuote;
    // A list goes on through its items, their indented lines and blank lines between them.
    if (fence !== null || isQuote) listed = false;
    else if (isItem) listed = true;
    else if (!blank && !INDENTED.test(line)) listed = false;
    out.push(line);
  }
  return out.join('\n');
}

class Converter {
  constructor(
    private readonly options: FormatOptions,
    private readonly placeholders: Placeholders,
  ) {}

  blocks(tokens: readonly Token[], depth: number): BlockNode[] {
    const out: BlockNode[] = [];
    for (const token of tokens) {
      const block = this.block(token, depth);
      if (block) out.push(block);
    }
    return out;
  }

  private block(token: Token, depth: number): BlockNode | null {
    switch (token.type) {
      case 'space':
        return null;
      case 'paragraph':
      case 'text': {
        const inner = (token as Tokens.Paragraph | Tokens.Text).tokens;
        return { kind: 'paragraph', children: inner ? this.inlines(inner, depth, true) : this.decorate(token.raw) };
      }
      case 'code': {
        const code = token as Tokens.Code;
        if (code.codeBlockStyle === 'indented') return this.plain(token.raw);
        const readable = this.placeholders.readable.bind(this.placeholders);
        return { kind: 'codeblock', text: readable(code.text), lang: readable(code.lang ?? '') };
      }
      case 'blockquote':
        if (depth >= MAX_DEPTH) return this.plain(token.raw);
        return { kind: 'quote', children: this.blocks((token as Tokens.Blockquote).tokens, depth + 1) };
      case 'list': {
        if (depth >= MAX_DEPTH) return this.plain(token.raw);
        const list = token as Tokens.List;
        return {
          kind: 'list',
          ordered: list.ordered,
          start: list.ordered && typeof list.start === 'number' && list.start !== 1 ? list.start : null,
          items: list.items.map((item) => this.listItem(item, depth + 1)),
        };
      }
      default:
        // html, heading, hr, table, def and whatever else a lexer may add: the text as typed.
        return this.plain(token.raw);
    }
  }

  private listItem(item: Tokens.ListItem, depth: number): BlockNode[] {
    // A task item's "[ ]" is not in the subset: it stays text at the start of the item.
    let prefix = '';
    const out: BlockNode[] = [];
    for (const token of item.tokens) {
      if (token.type === 'checkbox') {
        prefix += token.raw;
        continue;
      }
      const block = this.block(token, depth);
      if (!block) continue;
      if (prefix && block.kind === 'paragraph') {
        out.push({ kind: 'paragraph', children: [{ kind: 'text', text: prefix }, ...block.children] });
      } else {
        if (prefix) out.push(this.plain(prefix.trimEnd()));
        out.push(block);
      }
      prefix = '';
    }
    if (prefix) out.push(this.plain(prefix.trimEnd()));
    return out;
  }

  /** `decorated`: emoji and mentions apply (not inside links, whose text should say where they go). */
  private inlines(tokens: readonly Token[], depth: number, decorated: boolean): InlineNode[] {
    const out: InlineNode[] = [];
    for (const token of tokens) out.push(...this.inline(token, depth, decorated));
    return out;
  }

  private inline(token: Token, depth: number, decorated: boolean): InlineNode[] {
    switch (token.type) {
      case 'text':
      case 'escape': {
        const nested = (token as Tokens.Text).tokens;
        if (nested) return this.inlines(nested, depth, decorated);
        const text = (token as Tokens.Text | Tokens.Escape).text;
        return decorated ? this.decorate(text) : [this.text(text)];
      }
      case 'strong':
      case 'em':
      case 'del': {
        if (depth >= MAX_DEPTH) return [this.text(token.raw)];
        const inner = (token as Tokens.Strong | Tokens.Em | Tokens.Del).tokens;
        return [{ kind: token.type, children: this.inlines(inner, depth + 1, decorated) }];
      }
      case 'codespan':
        return [{ kind: 'code', text: this.placeholders.readable((token as Tokens.Codespan).text) }];
      case 'br':
        return [{ kind: 'br' }];
      case 'link': {
        const link = token as Tokens.Link;
        // A token in a destination stays the token typed: whoever is mentioned cannot steer the
        // link by changing their name.
        const href = safeHref(this.placeholders.typed(link.href));
        if (!href || depth >= MAX_DEPTH) return [this.text(token.raw)];
        return [{ kind: 'link', href, children: this.inlines(link.tokens, depth + 1, false) }];
      }
      default:
        // html, image and anything else: the text as typed.
        return [this.text(token.raw)];
    }
  }

  /** Text shown as it is, mentions as `@Name`. */
  private text(text: string): InlineNode {
    return { kind: 'text', text: this.placeholders.readable(text) };
  }

  private plain(raw: string): BlockNode {
    return { kind: 'plain', text: this.placeholders.readable(raw).replace(/\n+$/, '') };
  }

  /** Plain text with mentions made chips (placeholders, then `@Name` typed) and emoji shortcodes replaced. */
  private decorate(text: string): InlineNode[] {
    text = this.placeholders.verbatim.show(text);
    if (!text.includes(OPEN)) return this.decorateTyped(text);
    const out: InlineNode[] = [];
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      if (match.index > last) out.push(...this.decorateTyped(text.slice(last, match.index)));
      const { name, self } = this.placeholders.at(match[1]);
      out.push({ kind: 'mention', text: `@${name}`, self, room: false });
      last = match.index + match[0].length;
    }
    if (last < text.length) out.push(...this.decorateTyped(text.slice(last)));
    return out;
  }

  /** Text without placeholders: `@Name` typed of a mentioned person, and `@room`, made chips. */
  private decorateTyped(text: string): InlineNode[] {
    const out: InlineNode[] = [];
    let plainFrom = 0;
    const { mentions = [], mentionsRoom = false } = this.options;
    if (mentions.length > 0 || mentionsRoom) {
      // Longest names first, so "@Ann Lee" wins over "@Ann".
      const names = [...mentions].sort((a, b) => b.name.length - a.name.length);
      let at = text.indexOf('@');
      while (at !== -1) {
        const found = at === 0 || !WORD.test(text[at - 1]) ? this.mentionAt(text, at + 1, names) : null;
        if (found) {
          if (at > plainFrom) out.push(...this.emoji(text.slice(plainFrom, at)));
          out.push(found.node);
          plainFrom = at + 1 + found.length;
          at = text.indexOf('@', plainFrom);
        } else {
          at = text.indexOf('@', at + 1);
        }
      }
    }
    if (plainFrom < text.length) out.push(...this.emoji(text.slice(plainFrom)));
    return out;
  }

  private mentionAt(
    text: string,
    from: number,
    names: readonly MentionName[],
  ): { node: InlineNode; length: number } | null {
    const ends = (length: number) => from + length === text.length || !WORD.test(text[from + length]);
    const candidates: { name: string; self: boolean; room: boolean }[] = names.map((n) => ({ ...n, room: false }));
    if (this.options.mentionsRoom) candidates.push({ name: 'room', self: !!this.options.roomIncludesSelf, room: true });
    for (const { name, self, room } of candidates) {
      if (!name) continue;
      const typed = text.slice(from, from + name.length);
      if (typed.toLocaleLowerCase() === name.toLocaleLowerCase() && ends(name.length)) {
        return { node: { kind: 'mention', text: `@${room ? typed : name}`, self, room }, length: name.length };
      }
    }
    return null;
  }

  private emoji(text: string): InlineNode[] {
    const lookup = this.options.emoji;
    const replaced = lookup ? text.replace(SHORTCODE, (code, name: string) => lookup(name) ?? code) : text;
    return [{ kind: 'text', text: replaced }];
  }
}

/** Letters, digits and "_": a mention must not start or end inside a word (mail@example.com). */
const WORD = /[\p{L}\p{N}_]/u;

/**
 * The formatted text's tree: what the renderer shows, strings only. Kept apart from the parser
 * (markdown.ts, which pulls in `marked`) so the app's first download needs neither.
 */
export type InlineNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong' | 'em' | 'del'; readonly children: readonly InlineNode[] }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'br' }
  | { readonly kind: 'link'; readonly href: string; readonly children: readonly InlineNode[] }
  | { readonly kind: 'mention'; readonly text: string; readonly self: boolean; readonly room: boolean };

export type BlockNode =
  | { readonly kind: 'paragraph'; readonly children: readonly InlineNode[] }
  /** Text shown as typed (line breaks kept): what is not in the subset, or nested too deep. */
  | { readonly kind: 'plain'; readonly text: string }
  | { readonly kind: 'codeblock'; readonly text: string; readonly lang: string }
  | { readonly kind: 'quote'; readonly children: readonly BlockNode[] }
  | {
      readonly kind: 'list';
      readonly ordered: boolean;
      readonly start: number | null;
      readonly items: readonly (readonly BlockNode[])[];
    };

/** A person a message mentions, as the reader should see them. */
export interface MentionName {
  /** Their user id: each `<@id>` token of it in the text becomes a chip. */
  readonly id: string;
  /**
   * The person's current name, shown on the chip. Never parsed: it is not put into the text
   * before lexing (see markdown.ts). Also looked for after `@` in text typed as `@Name`.
   */
  readonly name: string;
  /** The reader is this person: the mention is highlighted. */
  readonly self: boolean;
}

export interface FormatOptions {
  /** The emoji a shortcode name (`tada` for `:tada:`) stands for; shortcodes stay text without it. */
  readonly emoji?: (name: string) => string | undefined;
  /** People the message mentions (by id, resolved to names by the caller): their tokens and `@Name` become chips. */
  readonly mentions?: readonly MentionName[];
  /** The message mentions everyone (`@room`); `roomIncludesSelf` highlights it for the reader. */
  readonly mentionsRoom?: boolean;
  readonly roomIncludesSelf?: boolean;
}

/**
 * Quotes, lists and emphasis nested deeper than this are shown as the text that was typed: a
 * reader gains nothing from the 9th level, and the rendered tree stays shallow whatever the input.
 */
export const MAX_DEPTH = 8;

export const SHORTCODE = /:([a-z0-9_+-]+):/g;

/** Whether the text holds something that looks like an emoji shortcode (so the table is worth loading). */
export function hasShortcode(text: string): boolean {
  return new RegExp(SHORTCODE.source).test(text);
}

/**
 * Characters and line starts that formatting may change: Markdown markers, HTML, entities,
 * escapes, link and mail addresses, shortcodes, mentions, line breaks, list markers.
 */
const SIGNIFICANT = /[*_~`<>[\]!#|\\&:@\n]|www\.|^\s*(?:[-+]|\d+[.)])(?:\s|$)/i;

/** Whether formatting would show the text exactly as typed: most chat messages, shown without parsing. */
export function isPlain(text: string): boolean {
  return !SIGNIFICANT.test(text);
}

/** The text as typed, line breaks kept: what shows before the parser has loaded. */
export function asTyped(text: string): readonly BlockNode[] {
  return text ? [{ kind: 'plain', text }] : [];
}

import { SHORTCODE } from '../formatting/format-tree';

/**
 * A message's text as a notification shows it: plain text, no Markdown markers. The parser
 * (markdown.ts, with `marked`) is loaded apart from the first download, so this strips the common
 * markers by pattern instead: bold, italic, strikethrough, inline code, fences, quote markers,
 * links (their text stays) and backslash escapes. Inside code it keeps the text as typed. Shortcodes
 * become emoji when `emoji` knows them and stay as typed otherwise.
 */
export function notificationText(text: string, emoji: (name: string) => string | undefined = () => undefined): string {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const opener = FENCE.exec(line);
    if (opener) {
      const mark = opener[1];
      if (fence === null) fence = mark;
      else if (mark[0] === fence[0] && mark.length >= fence.length) fence = null;
      continue;
    }
    lines.push(fence === null ? inline(line.replace(QUOTE, ''), emoji) : line);
  }
  return lines.join('\n').trim();
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const QUOTE = /^ {0,3}(?:> ?)+/;
const CODE_SPAN = /(`+)(.+?)\1/g;
const LINK = /\[([^\]\n]+)\]\([^)\s]+\)/g;
const STRONG = /(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g;
// `_` inside a word (snake_case) is no emphasis; neither is a marker right after a backslash.
const EM = /(?<![\p{L}\p{N}_*\\])([*_])(?=\S)(.+?)(?<=[^\s\\])\1(?![\p{L}\p{N}_*])/gu;
const DEL = /(?<!\\)~~(?=\S)(.+?)(?<=\S)~~/g;
const ESCAPE = /\\([\\`*_{}[\]()#+\-.!~>|])/g;

function inline(line: string, emoji: (name: string) => string | undefined): string {
  let out = '';
  let from = 0;
  for (const match of line.matchAll(CODE_SPAN)) {
    out += markersOff(line.slice(from, match.index), emoji) + match[2].trim();
    from = match.index + match[0].length;
  }
  return out + markersOff(line.slice(from), emoji);
}

function markersOff(run: string, emoji: (name: string) => string | undefined): string {
  return run
    .replace(LINK, '$1')
    .replace(STRONG, '$2')
    .replace(EM, '$2')
    .replace(DEL, '$1')
    .replace(SHORTCODE, (code, name: string) => emoji(name) ?? code)
    .replace(ESCAPE, '$1');
}

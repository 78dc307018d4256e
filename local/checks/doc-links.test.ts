/**
 * Every relative link in every Markdown file of the repository resolves: the file (or folder) it
 * names exists, and an `#anchor` into a Markdown file names one of its headings, as GitHub makes
 * them. Links to the web (`https:`, `mailto:`) are not followed. Headings and links come from
 * `marked`'s lexer (already a dependency of the SPA), so code blocks, code spans, tables and
 * reference-style links are read as GitHub reads them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

import type { Token, Tokens } from 'marked' with { 'resolution-mode': 'import' };

// `marked` ships as an ES module only, which Jest's CommonJS runtime cannot load; its UMD build is
// the same code, required by path (the package's `exports` list only `.` and package.json).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Lexer, walkTokens } = require(
  join(dirname(require.resolve('marked/package.json')), 'lib/marked.umd.js'),
) as typeof import('marked', { with: { 'resolution-mode': 'import' } });

const root = join(__dirname, '../..');
const skipped = /(^|\/)(node_modules|dist|\.data|\.deploy|\.angular|coverage|test-results|playwright-report)\//;

/** Markdown files git knows of or would add (tracked, or new and not ignored). */
function markdownFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*.md'], {
    cwd: root,
    encoding: 'utf8',
  });
  return [...new Set(out.split('\0'))]
    .filter((file) => file && !skipped.test(file) && existsSync(join(root, file)))
    .sort();
}

/**
 * GitHub's heading anchors. No slugger package is installed (github-slugger would be a new
 * dependency, and package.json is not this check's to change), and the rule is short: lower-case,
 * drop every character that is not a letter, mark, number, connector (`_`), `-` or space, turn each
 * space into `-`; a repeated slug gets `-1`, `-2`, … in order of appearance.
 */
function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The text GitHub slugs: the heading as rendered, without Markdown markers or HTML tags. */
function plainText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return fallback;
  return tokens
    .map((token) => {
      if (token.type === 'html' || token.type === 'tag') return '';
      if (token.type === 'codespan' || token.type === 'escape') return (token as Tokens.Codespan).text;
      if ('tokens' in token && Array.isArray(token.tokens)) return plainText(token.tokens, '');
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
    })
    .join('');
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface Parsed {
  anchors: Set<string>;
  links: string[];
}

const parsedFiles = new Map<string, Parsed>();

/** The anchors of a file's headings, in order; a repeated slug gets -1, -2, … */
function headingAnchors(tokens: Token[]): string[] {
  const seen = new Map<string, number>();
  const anchors: string[] = [];
  void walkTokens(tokens, (token) => {
    if (token.type !== 'heading') return;
    const heading = token as Tokens.Heading;
    const base = githubSlug(unescapeHtml(plainText(heading.tokens, heading.text)));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.push(count === 0 ? base : `${base}-${count}`);
  });
  return anchors;
}

function parse(file: string): Parsed {
  const cached = parsedFiles.get(file);
  if (cached) return cached;
  const tokens = new Lexer({ gfm: true }).lex(readFileSync(join(root, file), 'utf8'));
  const anchors = new Set(headingAnchors(tokens));
  const links: string[] = [];
  void walkTokens(tokens, (token) => {
    if (token.type === 'link' || token.type === 'image') {
      links.push((token as Tokens.Link).href);
    } else if (token.type === 'html' || token.type === 'tag') {
      // <a id="…"> and <a name="…"> are anchors too; <a href> and <img src> are links.
      const html = (token as Tokens.HTML).text;
      for (const m of html.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
      for (const m of html.matchAll(/<(?:a|img)\s[^>]*\b(?:href|src)="([^"]+)"/g)) links.push(m[1]);
    }
  });
  const parsed = { anchors, links };
  parsedFiles.set(file, parsed);
  return parsed;
}

/** What is wrong with one link of `file`, or undefined when it resolves (or leaves the repository for the web). */
function brokenLink(file: string, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return undefined;
  const hash = href.indexOf('#');
  const pathPart = (hash === -1 ? href : href.slice(0, hash)).split('?')[0];
  const anchor = hash === -1 ? undefined : decodeURIComponent(href.slice(hash + 1));
  const target = pathPart
    ? posix.normalize(
        pathPart.startsWith('/')
          ? decodeURIComponent(pathPart.slice(1))
          : posix.join(posix.dirname(file), decodeURIComponent(pathPart)),
      )
    : file;
  if (target.startsWith('..')) return `${href}: points outside the repository`;
  if (/(^|\/)shared\//.test(target)) return `${href}: points into a shared/ folder, which a clone does not have`;
  if (!existsSync(join(root, target))) return `${href}: ${target} does not exist`;
  if (anchor === undefined || anchor === '' || !target.endsWith('.md')) return undefined;
  if (!parse(target).anchors.has(anchor)) return `${href}: ${target} has no heading with the anchor #${anchor}`;
  return undefined;
}

describe('githubSlug', () => {
  it('makes the anchors GitHub makes', () => {
    expect(githubSlug('Topology, and why')).toBe('topology-and-why');
    expect(githubSlug('Read state, mentions and mute')).toBe('read-state-mentions-and-mute');
    expect(githubSlug('Running with func start')).toBe('running-with-func-start');
    expect(githubSlug('1.2 URLs the SDK derives (ASR src/a_b.cs)')).toBe('12-urls-the-sdk-derives-asr-srca_bcs');
    expect(githubSlug('Differences — on purpose')).toBe('differences--on-purpose');
    expect(githubSlug('Émulateur: état')).toBe('émulateur-état');
  });
});

describe('a heading repeated in one file', () => {
  it('gets -1, -2 after the first', () => {
    const tokens = new Lexer({ gfm: true }).lex('# Tests\n\ntext\n\n## Tests\n\n### `Tests`\n\n## Other &amp; more\n');
    expect(headingAnchors(tokens)).toEqual(['tests', 'tests-1', 'tests-2', 'other--more']);
  });
});

describe('relative links in Markdown', () => {
  const files = markdownFiles();

  it('finds the README and the docs', () => {
    expect(files).toContain('README.md');
    expect(files.some((file) => file.startsWith('docs/'))).toBe(true);
  });

  it.each(files)('%s: every relative link and #anchor resolves', (file) => {
    const broken = parse(file)
      .links.map((href) => brokenLink(file, href))
      .filter((problem): problem is string => problem !== undefined);
    expect(broken).toEqual([]);
  });

  it('reports a missing file, a missing anchor and a link into shared/', () => {
    expect(brokenLink('README.md', 'docs/no-such-file.md')).toMatch(/does not exist/);
    expect(brokenLink('README.md', '#no-such-heading')).toMatch(/no heading/);
    expect(brokenLink('docs/x.md', '../shared/notes.md')).toMatch(/shared/);
    expect(brokenLink('README.md', 'https://example.com/#x')).toBeUndefined();
  });
});

import { computed, inject, Injectable, signal } from '@angular/core';

import { readableText } from '../mentions/mention-text';
import { EmojiShortcodes } from './emoji-shortcodes';
import { hasShortcode } from './format-tree';
import type * as Markdown from './markdown';

/**
 * The Markdown parser (`marked` and markdown.ts), loaded apart from the app's first download:
 * it is a sixth of that download's size budget. `provideFormatting()` starts loading it when the
 * app starts, so it is normally here before the first message arrives; until then (and if
 * loading fails) messages show as typed.
 */
@Injectable({ providedIn: 'root' })
export class Formatter {
  private readonly parser = signal<typeof Markdown | null>(null);
  private readonly shortcodes = inject(EmojiShortcodes);
  private loading: Promise<void> | null = null;

  /** The parser once loaded (a signal: readers update when it arrives). */
  readonly format = computed(() => this.parser()?.formatMessage ?? null);

  load(): Promise<void> {
    this.loading ??= import('./markdown').then(
      (markdown) => this.parser.set(markdown),
      () => {
        // Offline or a new deployment replaced the chunk: try again with the next message.
        this.loading = null;
      },
    );
    return this.loading;
  }

  /**
   * A message as plain text without Markdown markers (markdown.ts `plainText`), for places that
   * cannot show markup, such as a notification's body: mentions as `@Name`, shortcodes as emoji
   * once that table has loaded. Synchronous: until the parser is here it is the text with
   * mentions as `@Name` and the markers as typed (`readableText`).
   */
  plainText(text: string, mentions: readonly string[] | undefined, nameOf: (id: string) => string | undefined): string {
    // The table is loaded as a message showing a shortcode would load it: for the next time.
    if (hasShortcode(text)) void this.shortcodes.load();
    const parser = this.parser();
    if (!parser) return readableText(text, mentions, nameOf);
    return parser.plainText(text, {
      mentions: (mentions ?? []).map((id) => ({ id, name: nameOf(id) ?? 'someone', self: false })),
      emoji: this.shortcodes.loaded() ? this.shortcodes.lookup : undefined,
    });
  }
}

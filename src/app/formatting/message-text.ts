import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';

import { readableText } from '../mentions/mention-text';
import { CodeBlock } from './code-block';
import { EmojiShortcodes } from './emoji-shortcodes';
import { asTyped, hasShortcode, isPlain, type MentionName } from './format-tree';
import { Formatter } from './formatter';

/**
 * A message's text with chat formatting (see markdown.ts for what is supported and why it is
 * safe), or as typed until the parser has loaded (formatter.ts). Everything is rendered through this template, by interpolation and property binding:
 * never `innerHTML`, so nothing the sender typed becomes markup.
 *
 * Mentions: give the message's `mentions` (user ids), `mentionsRoom`, the reader's `selfId` and a
 * `nameOf` that knows people's current names. Each `<@id>` token of a mentioned person (see
 * mentions/mention-text.ts) becomes a chip showing their current name (`mention-self` when it is
 * the reader), "someone" while the name is unknown; a token of an id not mentioned stays text.
 * The formatter gets the stored text with its tokens, never the names inside it: a name is
 * shown, not parsed, so `[x](https://…)` or `*` in someone's name stays their name.
 */
@Component({
  selector: 'hb-message-text',
  imports: [CodeBlock, NgTemplateOutlet],
  templateUrl: './message-text.html',
  styleUrl: './message-text.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageText {
  readonly text = input.required<string>();
  readonly mentions = input<readonly string[] | undefined>(undefined);
  readonly mentionsRoom = input<boolean | undefined>(false);
  readonly selfId = input<string | null>(null);
  readonly nameOf = input<((id: string) => string | undefined) | null>(null);

  private readonly shortcodes = inject(EmojiShortcodes);
  private readonly formatter = inject(Formatter);

  /**
   * Nothing to format: one paragraph, no parsing and no template recursion (the cheap common
   * case). Such a text holds no token (`<` and `@` are significant), so it reads as stored.
   */
  protected readonly plain = computed(() => isPlain(this.text()));

  protected readonly blocks = computed(() => {
    const formatMessage = this.formatter.format();
    const nameOf = this.nameOf();
    // Until the parser is here: the text as typed, each token as `@<current name>`.
    if (!formatMessage) return asTyped(readableText(this.text(), this.mentions(), (id) => nameOf?.(id)));
    const selfId = this.selfId();
    const mentions: MentionName[] = [];
    for (const id of this.mentions() ?? []) {
      mentions.push({ id, name: nameOf?.(id) ?? 'someone', self: id === selfId });
    }
    return formatMessage(this.text(), {
      emoji: this.shortcodes.loaded() ? this.shortcodes.lookup : undefined,
      mentions,
      mentionsRoom: this.mentionsRoom() ?? false,
      roomIncludesSelf: selfId !== null,
    });
  });

  constructor() {
    untracked(() => void this.formatter.load());
    effect(() => {
      if (hasShortcode(this.text())) untracked(() => void this.shortcodes.load());
    });
  }
}

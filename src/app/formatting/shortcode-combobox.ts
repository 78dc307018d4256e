import { ChangeDetectionStrategy, Component, computed, Directive, inject, input } from '@angular/core';

import { LISTBOX_STYLES, type Typed, TypedCombobox } from '../combobox/typed-combobox';
import { MentionCombobox } from '../mentions/mention-combobox';
import { EmojiShortcodes } from './emoji-shortcodes';

let nextId = 0;

/** Options shown at most. */
const MAX_OPTIONS = 8;
/** `:` then at least two letters of a name, at the start of a word, up to the caret. */
const TYPED_SHORTCODE = /(^|\s):([a-z0-9_+-]{2,40})$/;

export interface ShortcodeOption {
  readonly name: string;
  readonly emoji: string;
}

/** Names starting with `query` first, then names containing it, each alphabetically; at most MAX_OPTIONS. */
export function matchShortcodes(
  entries: readonly (readonly [string, string])[],
  query: string,
): readonly ShortcodeOption[] {
  const starts: ShortcodeOption[] = [];
  const contains: ShortcodeOption[] = [];
  for (const [name, emoji] of entries) {
    if (name.startsWith(query)) starts.push({ name, emoji });
    else if (contains.length < MAX_OPTIONS && name.includes(query)) contains.push({ name, emoji });
  }
  return [...starts, ...contains].slice(0, MAX_OPTIONS);
}

/**
 * Completes emoji shortcodes in a textarea as they are typed ({@link TypedCombobox}): `:fi`
 * lists 🔥 `:fire:` and others (GitHub's names, `gemoji`, loaded at the first `:`); the chosen
 * emoji takes the place of `:fi`. Pair it with
 * `<hb-shortcode-listbox>`. It shares the textarea with {@link MentionCombobox}: only one of the
 * two lists is open at a time (one begins with `@`, the other with `:`), and the combobox
 * attributes it sets say whichever is open.
 */
@Directive({
  selector: 'textarea[hbShortcodeCombobox]',
  exportAs: 'hbShortcodeCombobox',
  host: {
    '[attr.aria-expanded]': 'open() || !!mentions?.open()',
    '[attr.aria-controls]': 'open() ? listboxId : (mentions?.listboxId ?? null)',
    '[attr.aria-activedescendant]': 'activeDescendant()',
    '(input)': 'update()',
    '(click)': 'update()',
    '(blur)': 'close()',
  },
})
export class ShortcodeCombobox extends TypedCombobox<ShortcodeOption> {
  readonly listboxId = `shortcode-listbox-${++nextId}`;
  protected readonly mentions = inject(MentionCombobox, { self: true, optional: true });
  private readonly shortcodes = inject(EmojiShortcodes);
  protected readonly activeDescendant = computed(() => {
    if (this.open()) return this.optionId(this.active());
    const mentions = this.mentions;
    return mentions?.open() ? mentions.optionId(mentions.active()) : null;
  });

  protected override find(before: string): Typed | null {
    const typed = TYPED_SHORTCODE.exec(before);
    return typed ? { at: before.length - typed[2].length - 1, query: typed[2] } : null;
  }

  protected override match(query: string): readonly ShortcodeOption[] {
    return matchShortcodes(this.shortcodes.entries(), query);
  }

  protected override insertion(option: ShortcodeOption): string {
    return `${option.emoji} `;
  }

  protected override typed(): void {
    if (!this.shortcodes.loaded()) void this.shortcodes.load();
  }
}

/** The listbox of a {@link ShortcodeCombobox}, above the text box; options by mouse too. */
@Component({
  selector: 'hb-shortcode-listbox',
  template: `
    @if (for().open()) {
      <ul class="listbox" role="listbox" aria-label="Emoji" data-testid="shortcode-listbox" [id]="for().listboxId">
        @for (option of for().matches(); track option.name; let i = $index) {
          <!-- The keyboard works in the text (the combobox): options are never focused, as the ARIA pattern says. -->
          <!-- eslint-disable-next-line @angular-eslint/template/click-events-have-key-events, @angular-eslint/template/interactive-supports-focus -->
          <li
            role="option"
            class="option"
            data-testid="shortcode-option"
            [id]="for().optionId(i)"
            [attr.aria-selected]="i === for().active()"
            [class.active]="i === for().active()"
            (mousedown)="$event.preventDefault()"
            (click)="for().choose(i)"
          >
            <span class="emoji">{{ option.emoji }}</span> <span class="name">:{{ option.name }}:</span>
          </li>
        }
      </ul>
    }
  `,
  styles: [
    LISTBOX_STYLES,
    `
      .name {
        font-size: 0.85rem;
        color: var(--muted);
      }
    `,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShortcodeListbox {
  readonly for = input.required<ShortcodeCombobox>();
}

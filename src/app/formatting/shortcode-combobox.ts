import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  Directive,
  ElementRef,
  inject,
  input,
  signal,
} from '@angular/core';

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
 * Completes emoji shortcodes in a textarea as they are typed, as an ARIA 1.2 combobox: `:fi`
 * lists 🔥 `:fire:` and others (GitHub's names, `gemoji`, loaded at the first `:`); Up/Down move,
 * Enter or Tab put the emoji in place of `:fi`, Escape closes. Pair it with
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
export class ShortcodeCombobox {
  readonly listboxId = `shortcode-listbox-${++nextId}`;
  protected readonly mentions = inject(MentionCombobox, { self: true, optional: true });
  private readonly shortcodes = inject(EmojiShortcodes);
  private readonly element = inject<ElementRef<HTMLTextAreaElement>>(ElementRef).nativeElement;
  private readonly trigger = signal<{ readonly at: number; readonly query: string } | null>(null);
  readonly active = signal(0);
  readonly matches = computed(() => {
    const trigger = this.trigger();
    return trigger ? matchShortcodes(this.shortcodes.entries(), trigger.query) : [];
  });
  readonly open = computed(() => this.matches().length > 0);
  protected readonly activeDescendant = computed(() => {
    if (this.open()) return this.optionId(this.active());
    const mentions = this.mentions;
    return mentions?.open() ? mentions.optionId(mentions.active()) : null;
  });

  constructor() {
    const onKey = (event: KeyboardEvent) => this.key(event);
    this.element.addEventListener('keydown', onKey, { capture: true });
    inject(DestroyRef).onDestroy(() => this.element.removeEventListener('keydown', onKey, { capture: true }));
  }

  optionId(index: number): string {
    return `${this.listboxId}-${index}`;
  }

  update(): void {
    const trigger = this.read();
    if (!trigger) return this.close();
    if (!this.shortcodes.loaded()) void this.shortcodes.load();
    const previous = this.trigger();
    if (previous?.at !== trigger.at || previous.query !== trigger.query) this.active.set(0);
    this.trigger.set(trigger);
  }

  close(): void {
    this.trigger.set(null);
  }

  /** Replaces the `:query` with the emoji (and a space), unless the caret moved away from it meanwhile. */
  choose(index: number): void {
    const trigger = this.trigger();
    const option = this.matches()[index];
    if (!trigger || !option) return;
    const now = this.read();
    if (now?.at !== trigger.at || now.query !== trigger.query) return this.close();
    const { value, selectionStart } = this.element;
    const inserted = `${option.emoji} `;
    this.element.value = value.slice(0, trigger.at) + inserted + value.slice(selectionStart);
    const caret = trigger.at + inserted.length;
    this.element.setSelectionRange(caret, caret);
    this.close();
    this.element.focus();
    this.element.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private read(): { readonly at: number; readonly query: string } | null {
    const { value, selectionStart, selectionEnd } = this.element;
    if (selectionStart !== selectionEnd) return null;
    const before = value.slice(0, selectionStart);
    const typed = TYPED_SHORTCODE.exec(before);
    if (!typed) return null;
    return { at: before.length - typed[2].length - 1, query: typed[2] };
  }

  private key(event: KeyboardEvent): void {
    if (!this.open() || event.isComposing) return;
    const count = this.matches().length;
    switch (event.key) {
      case 'ArrowDown':
        this.active.update((i) => (i + 1) % count);
        break;
      case 'ArrowUp':
        this.active.update((i) => (i - 1 + count) % count);
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return;
        this.choose(this.active());
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
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
  styles: `
    :host {
      position: absolute;
      left: 0;
      bottom: 100%;
      z-index: 5;
      min-width: 14rem;
      max-width: 100%;
    }
    .listbox {
      list-style: none;
      margin: 0 0 0.25rem;
      padding: 0.25rem;
      max-height: 14rem;
      overflow-y: auto;
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 8px;
      box-shadow: 0 4px 12px rgb(0 0 0 / 20%);
    }
    .option {
      display: flex;
      gap: 0.5rem;
      align-items: baseline;
      padding: 0.3rem 0.5rem;
      border-radius: 6px;
      cursor: pointer;
    }
    .option.active,
    .option:hover {
      background: var(--own);
    }
    .option.active {
      outline: 2px solid var(--accent);
      outline-offset: -2px;
    }
    .name {
      font-size: 0.85rem;
      color: var(--muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShortcodeListbox {
  readonly for = input.required<ShortcodeCombobox>();
}

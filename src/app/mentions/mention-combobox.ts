import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  Directive,
  ElementRef,
  inject,
  input,
  output,
  signal,
} from '@angular/core';

import type { MentionOption } from './mention.selectors';
import { filterMentionables } from './mention-text';

let nextId = 0;

/** The longest `@query` that still opens the list (a name with a few words). */
const MAX_QUERY = 40;

/** Keys that move the caret without an `input` event. */
const CARET_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Makes a textarea the input of an ARIA 1.2 combobox for mentions: typing `@` at the start of a
 * word opens a listbox of `options` filtered by what follows it; Up/Down move the active option
 * (`aria-activedescendant`, focus stays in the text), Enter or Tab inserts `@Name ` (and says
 * whom, `mentionChosen`: names are not unique), Escape closes, and so does moving the caret out of
 * the `@word`. Pair it with `<hb-mention-listbox>`.
 *
 * The `@word` is read again whenever the caret may have moved: on input, click, the navigation
 * keys' keyup and `selectionchange` (touch handles, drag selection). A choice made when the caret
 * is no longer where the list was opened (a key pressed before the caret move was read) is refused
 * and the list closed, rather than splicing the name over whatever lies between.
 *
 * Its keys are handled in the capture phase and stopped there while the list is open, so the
 * composer's own Enter (send), Up (edit last) and Escape (drop reply) do not also happen.
 */
@Directive({
  selector: 'textarea[hbMentionCombobox]',
  exportAs: 'hbMentionCombobox',
  host: {
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-haspopup': 'listbox',
    '[attr.aria-expanded]': 'open()',
    '[attr.aria-controls]': 'listboxId',
    '[attr.aria-activedescendant]': 'open() ? optionId(active()) : null',
    '(input)': 'update()',
    '(click)': 'update()',
    '(keyup)': 'caretKey($event)',
    '(selectionchange)': 'selectionChanged()',
    '(blur)': 'close()',
  },
})
export class MentionCombobox {
  readonly options = input.required<readonly MentionOption[]>({ alias: 'hbMentionCombobox' });
  /** What follows the `@` being completed, each time it changes: whom to look up beyond `options`. */
  readonly mentionSearch = output<string>();
  /** An option was inserted, its `@` at `at` in the text (after the `input` event the insertion sends). */
  readonly mentionChosen = output<{ readonly option: MentionOption; readonly at: number }>();

  readonly listboxId = `mention-listbox-${++nextId}`;
  private readonly element = inject<ElementRef<HTMLTextAreaElement>>(ElementRef).nativeElement;
  /** Where the `@` being completed is, and what follows it up to the caret; null when closed. */
  private readonly trigger = signal<{ readonly at: number; readonly query: string } | null>(null);
  readonly active = signal(0);
  readonly matches = computed(() => {
    const trigger = this.trigger();
    return trigger ? filterMentionables(this.options(), trigger.query) : [];
  });
  readonly open = computed(() => this.matches().length > 0);

  constructor() {
    const onKey = (event: KeyboardEvent) => this.key(event);
    this.element.addEventListener('keydown', onKey, { capture: true });
    inject(DestroyRef).onDestroy(() => this.element.removeEventListener('keydown', onKey, { capture: true }));
  }

  optionId(index: number): string {
    return `${this.listboxId}-${index}`;
  }

  /** Reads the `@word` under the caret: opens, filters or closes the list. */
  update(): void {
    const trigger = this.read();
    if (!trigger) return this.close();
    const { at, query } = trigger;
    const previous = this.trigger();
    this.trigger.set(trigger);
    if (previous?.at !== at || previous.query !== query) {
      this.active.set(0);
      this.mentionSearch.emit(query);
    }
  }

  close(): void {
    this.trigger.set(null);
  }

  /**
   * Replaces the `@query` with the chosen `@Name ` and tells the composer (an `input` event, then
   * `mentionChosen`); refused, and the list closed, unless the caret is still at the end of the
   * `@query` the list shows.
   */
  choose(index: number): void {
    const trigger = this.trigger();
    const option = this.matches()[index];
    if (!trigger || !option) return;
    const now = this.read();
    if (now?.at !== trigger.at || now.query !== trigger.query) return this.close();
    const { value, selectionStart } = this.element;
    const inserted = `@${option.name} `;
    this.element.value = value.slice(0, trigger.at) + inserted + value.slice(selectionStart);
    const caret = trigger.at + inserted.length;
    this.element.setSelectionRange(caret, caret);
    this.close();
    this.element.focus();
    this.element.dispatchEvent(new Event('input', { bubbles: true }));
    this.mentionChosen.emit({ option, at: trigger.at });
  }

  protected caretKey(event: KeyboardEvent): void {
    if (CARET_KEYS.has(event.key)) this.update();
  }

  /** Fired for changes made while the text is elsewhere too (a draft shown): only the focused text lists. */
  protected selectionChanged(): void {
    if (this.element.ownerDocument.activeElement === this.element) this.update();
  }

  /** The `@` before the caret and what follows it up to the caret, if that is a `@word` to complete. */
  private read(): { readonly at: number; readonly query: string } | null {
    const { value, selectionStart, selectionEnd } = this.element;
    if (selectionStart !== selectionEnd) return null;
    const before = value.slice(0, selectionStart);
    const at = before.lastIndexOf('@');
    const query = before.slice(at + 1);
    const startsWord = at === 0 || (at > 0 && /\s/.test(before[at - 1]));
    if (at < 0 || !startsWord || query.length > MAX_QUERY || /[\n@]/.test(query) || /^\s/.test(query)) return null;
    return { at, query };
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

/**
 * The listbox of a {@link MentionCombobox}: options by mouse too (a press does not take the focus
 * from the text). It opens above the text box, or below it where the area that scrolls the box
 * (the message list, for the message editor) has too little room above to show it whole.
 */
@Component({
  selector: 'hb-mention-listbox',
  host: { '[class.below]': 'below()' },
  template: `
    @if (for().open()) {
      <ul
        class="listbox"
        role="listbox"
        aria-label="People to mention"
        data-testid="mention-listbox"
        [id]="for().listboxId"
      >
        @for (option of for().matches(); track option.id; let i = $index) {
          <!-- The keyboard works in the text (the combobox): options are never focused, as the ARIA pattern says. -->
          <!-- eslint-disable-next-line @angular-eslint/template/click-events-have-key-events, @angular-eslint/template/interactive-supports-focus -->
          <li
            role="option"
            class="option"
            data-testid="mention-option"
            [id]="for().optionId(i)"
            [attr.aria-selected]="i === for().active()"
            [class.active]="i === for().active()"
            (mousedown)="$event.preventDefault()"
            (click)="for().choose(i)"
          >
            <bdi>&#64;{{ option.name }}</bdi>
            @if (option.room) {
              &ngsp;<span class="hint">everyone in this room</span>
            }
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
    :host(.below) {
      top: 100%;
      bottom: auto;
    }
    :host(.below) .listbox {
      margin: 0.25rem 0 0;
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
    .hint {
      font-size: 0.8rem;
      color: var(--muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MentionListbox {
  readonly for = input.required<MentionCombobox>();
  protected readonly below = signal(false);

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    afterRenderEffect({
      // Measured against the box it hangs from, not its own place, so the choice is stable while open.
      read: () => {
        if (!this.for().open()) return;
        const anchor = host.parentElement;
        if (!anchor) return;
        const room = anchor.getBoundingClientRect().top - clippingTop(anchor);
        this.below.set(room < host.offsetHeight);
      },
    });
  }
}

/** The top edge of what shows `element`: its nearest ancestor that clips or scrolls, else the viewport. */
function clippingTop(element: HTMLElement): number {
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    if (/auto|scroll|hidden|clip/.test(getComputedStyle(parent).overflowY)) return parent.getBoundingClientRect().top;
  }
  return 0;
}

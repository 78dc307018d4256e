import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  Directive,
  ElementRef,
  inject,
  input,
  output,
  signal,
} from '@angular/core';

import { LISTBOX_STYLES, type Typed, TypedCombobox } from '../combobox/typed-combobox';
import { Avatar } from '../people/avatar';
import type { MentionOption } from './mention.selectors';
import { filterMentionables } from './mention-text';

let nextId = 0;

/** The longest `@query` that still opens the list (a name with a few words). */
const MAX_QUERY = 40;

/** Keys that move the caret without an `input` event. */
const CARET_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Completes mentions in a textarea as they are typed ({@link TypedCombobox}): `@` at the start of a
 * word opens a listbox of `options` filtered by what follows it; the chosen one is inserted as
 * `@Name ` (and `mentionChosen` says whom: names are not unique); moving the caret out of the
 * `@word` closes it. Pair it with `<hb-mention-listbox>`.
 *
 * The `@word` is read again whenever the caret may have moved: on input, click, the navigation
 * keys' keyup and `selectionchange` (touch handles, drag selection).
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
export class MentionCombobox extends TypedCombobox<MentionOption> {
  readonly options = input.required<readonly MentionOption[]>({ alias: 'hbMentionCombobox' });
  /** What follows the `@` being completed, each time it changes: whom to look up beyond `options`. */
  readonly mentionSearch = output<string>();
  /** An option was inserted, its `@` at `at` in the text (after the `input` event the insertion sends). */
  readonly mentionChosen = output<{ readonly option: MentionOption; readonly at: number }>();

  readonly listboxId = `mention-listbox-${++nextId}`;

  protected override find(before: string): Typed | null {
    const at = before.lastIndexOf('@');
    const query = before.slice(at + 1);
    const startsWord = at === 0 || (at > 0 && /\s/.test(before[at - 1]));
    if (at < 0 || !startsWord || query.length > MAX_QUERY || /[\n@]/.test(query) || /^\s/.test(query)) return null;
    return { at, query };
  }

  protected override match(query: string): readonly MentionOption[] {
    return filterMentionables(this.options(), query);
  }

  protected override insertion(option: MentionOption): string {
    return `@${option.name} `;
  }

  protected override typed({ query }: Typed): void {
    this.mentionSearch.emit(query);
  }

  protected override chosen(option: MentionOption, at: number): void {
    this.mentionChosen.emit({ option, at });
  }

  protected caretKey(event: KeyboardEvent): void {
    if (CARET_KEYS.has(event.key)) this.update();
  }

  /** Fired for changes made while the text is elsewhere too (a draft shown): only the focused text lists. */
  protected selectionChanged(): void {
    if (this.element.ownerDocument.activeElement === this.element) this.update();
  }
}

/**
 * The listbox of a {@link MentionCombobox}: options by mouse too (a press does not take the focus
 * from the text). It opens above the text box, or below it where the area that scrolls the box
 * (the message list, for the message editor) has too little room above to show it whole.
 */
@Component({
  selector: 'hb-mention-listbox',
  imports: [Avatar],
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
            @if (!option.room) {
              <hb-avatar [userId]="option.id" [name]="option.name" [avatar]="option.avatar" [size]="20" />
            }
            <bdi>&#64;{{ option.name }}</bdi>
            @if (option.room) {
              &ngsp;<span class="hint">everyone in this room</span>
            }
          </li>
        }
      </ul>
    }
  `,
  styles: [
    LISTBOX_STYLES,
    `
      :host(.below) {
        top: 100%;
        bottom: auto;
      }
      :host(.below) .listbox {
        margin: 0.25rem 0 0;
      }
      .hint {
        font-size: 0.8rem;
        color: var(--muted);
      }
    `,
  ],
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

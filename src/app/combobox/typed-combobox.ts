import { computed, DestroyRef, Directive, ElementRef, inject, signal } from '@angular/core';

/** What is being completed: where its trigger character is in the text, and what follows it up to the caret. */
export interface Typed {
  readonly at: number;
  readonly query: string;
}

/**
 * A textarea as the input of an ARIA 1.2 combobox that completes a word typed after a trigger
 * character (`@` for people, `:` for emoji): subclasses say how to find the word before the caret,
 * what matches it and what replaces it; this keeps the list, the active option and the keys.
 * Up/Down move the active option (`aria-activedescendant`, focus stays in the text), Enter or Tab
 * insert it, Escape closes.
 *
 * A choice made when the caret is no longer where the list was opened (a key pressed before the
 * caret move was read) is refused and the list closed, rather than splicing over whatever lies
 * between. Its keys are handled in the capture phase and stopped there while the list is open, so
 * the composer's own Enter (send), Up (edit last) and Escape (drop reply) do not also happen.
 */
@Directive()
export abstract class TypedCombobox<T> {
  abstract readonly listboxId: string;
  protected readonly element = inject<ElementRef<HTMLTextAreaElement>>(ElementRef).nativeElement;
  /** Null when closed. */
  protected readonly trigger = signal<Typed | null>(null);
  readonly active = signal(0);
  readonly matches = computed(() => {
    const trigger = this.trigger();
    return trigger ? this.match(trigger.query) : [];
  });
  readonly open = computed(() => this.matches().length > 0);

  constructor() {
    const onKey = (event: KeyboardEvent) => this.key(event);
    this.element.addEventListener('keydown', onKey, { capture: true });
    inject(DestroyRef).onDestroy(() => this.element.removeEventListener('keydown', onKey, { capture: true }));
  }

  /** The word being completed in the text before the caret, or null when there is none. */
  protected abstract find(before: string): Typed | null;
  /** The options for a query, best first. */
  protected abstract match(query: string): readonly T[];
  /** The text that replaces the trigger and query. */
  protected abstract insertion(option: T): string;
  /** Called when the word being completed changes (not when it stays the same). */
  protected typed(_: Typed): void {}
  /** Called after an option was inserted (and its `input` event sent). */
  protected chosen(_option: T, _at: number): void {}

  optionId(index: number): string {
    return `${this.listboxId}-${index}`;
  }

  /** Reads the word under the caret: opens, filters or closes the list. */
  update(): void {
    const trigger = this.read();
    if (!trigger) return this.close();
    const previous = this.trigger();
    this.trigger.set(trigger);
    if (previous?.at !== trigger.at || previous.query !== trigger.query) {
      this.active.set(0);
      this.typed(trigger);
    }
  }

  close(): void {
    this.trigger.set(null);
  }

  /** Replaces the trigger and query with the option, unless the caret moved away from them meanwhile. */
  choose(index: number): void {
    const trigger = this.trigger();
    const option = this.matches()[index];
    if (!trigger || !option) return;
    const now = this.read();
    if (now?.at !== trigger.at || now.query !== trigger.query) return this.close();
    const { value, selectionStart } = this.element;
    const inserted = this.insertion(option);
    this.element.value = value.slice(0, trigger.at) + inserted + value.slice(selectionStart);
    const caret = trigger.at + inserted.length;
    this.element.setSelectionRange(caret, caret);
    this.close();
    this.element.focus();
    this.element.dispatchEvent(new Event('input', { bubbles: true }));
    this.chosen(option, trigger.at);
  }

  private read(): Typed | null {
    const { value, selectionStart, selectionEnd } = this.element;
    if (selectionStart !== selectionEnd) return null;
    return this.find(value.slice(0, selectionStart));
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

/** The look of a combobox's listbox, above the text box it completes (shared by every such list). */
export const LISTBOX_STYLES = `
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
`;

import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';

import { check, MessageTextSchema } from '../../../contract';
import type { MentionOption } from '../mentions/mention.selectors';
import { MentionCombobox, MentionListbox } from '../mentions/mention-combobox';

/**
 * Editing a message in place: Enter saves, Shift+Enter adds a line, Escape cancels. Same rules as
 * a new message, and the same `@` list as the composer (while it is open, Enter, Tab and Escape
 * are the list's).
 */
@Component({
  selector: 'hb-message-editor',
  imports: [MentionCombobox, MentionListbox],
  template: `
    <form class="editor" (submit)="$event.preventDefault(); submit()">
      <textarea
        #box
        #mentions="hbMentionCombobox"
        [hbMentionCombobox]="mentionOptions()"
        (mentionSearch)="mentionSearch.emit($event)"
        data-testid="edit-input"
        rows="2"
        aria-label="Edit message"
        dir="auto"
        [value]="draft()"
        [attr.aria-invalid]="problem() ? true : null"
        (input)="update($event)"
        (keydown.enter)="saveOnEnter($event)"
        (keydown.escape)="$event.preventDefault(); $event.stopPropagation(); discard.emit()"
      ></textarea>
      <hb-mention-listbox [for]="mentions" />
      <div class="row">
        <button type="submit" data-testid="edit-save">Save</button>
        <button type="button" class="secondary" data-testid="edit-cancel" (click)="discard.emit()">Cancel</button>
        <span class="hint">Enter to save, Escape to cancel</span>
      </div>
      @if (problem(); as message) {
        <p class="problem" role="alert" data-testid="edit-error">{{ message }}</p>
      }
    </form>
  `,
  styles: `
    .editor {
      /* The @ list opens above the box. */
      position: relative;
    }
    textarea {
      width: 100%;
      resize: vertical;
      padding: 0.4rem 0.6rem;
      font: inherit;
      color: inherit;
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 8px;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem;
      margin-top: 0.25rem;
    }
    button {
      padding: 0.2rem 0.7rem;
      font-size: 0.85rem;
    }
    .secondary {
      color: var(--text);
      background: transparent;
      border: 1px solid var(--border);
    }
    .hint {
      font-size: 0.75rem;
      color: var(--muted);
    }
    .problem {
      margin: 0.25rem 0 0;
      color: var(--danger);
      font-size: 0.85rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageEditor {
  readonly text = input.required<string>();
  /** Who `@` offers to mention (the room's, as the composer's). */
  readonly mentionOptions = input<readonly MentionOption[]>([]);
  /** The `@` word being typed changed: the message row looks the people up. */
  readonly mentionSearch = output<string>();
  readonly save = output<string>();
  readonly discard = output<void>();

  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');
  protected readonly draft = signal('');
  protected readonly problem = signal<string | null>(null);

  constructor() {
    afterNextRender(() => {
      this.draft.set(this.text());
      const box = this.box().nativeElement;
      box.value = this.text();
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    });
  }

  protected update(event: Event): void {
    this.draft.set((event.target as HTMLTextAreaElement).value);
    this.problem.set(null);
  }

  protected saveOnEnter(event: Event): void {
    if (!(event instanceof KeyboardEvent) || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.submit();
  }

  protected submit(): void {
    const checked = check(MessageTextSchema, this.draft());
    if (!checked.ok) {
      this.problem.set(checked.message);
      return;
    }
    if (checked.value === this.text()) this.discard.emit();
    else this.save.emit(checked.value);
  }
}

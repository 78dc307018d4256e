import {
  ChangeDetectionStrategy,
  Component,
  effect,
  ElementRef,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import { type Draft } from '../drafts/drafts.feature';
import type { MentionOption } from '../mentions/mention.selectors';
import { MentionCombobox, MentionListbox } from '../mentions/mention-combobox';

/** What the composer shows of the message being answered. */
export interface ReplyTarget {
  readonly sender: string;
  readonly excerpt: string;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, Up in an empty box edits the
 * user's last message, Escape drops the reply. Sending works offline too (the outbox queues).
 */
@Component({
  selector: 'hb-composer',
  imports: [MentionCombobox, MentionListbox],
  templateUrl: './composer.html',
  styleUrl: './composer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  readonly placeholder = input('Write a message');
  readonly error = input<string | null>(null);
  readonly replyingTo = input<ReplyTarget | null>(null);
  /** Not ready to send (a direct message is still being opened): the box keeps its text and sends nothing. */
  readonly busy = input(false);
  /** Files are attached: the message may go without words. */
  readonly hasAttachments = input(false);
  readonly send = output<string>();
  readonly typing = output<void>();
  readonly editLast = output<void>();
  readonly cancelReply = output<void>();
  /** Who `@` offers to mention here. */
  readonly mentionOptions = input<readonly MentionOption[]>([]);
  /** The `@` word being typed changed (what follows the `@`): the page looks the people up. */
  readonly mentionSearch = output<string>();
  /** The open room's saved draft: the box shows it whenever the room changes. */
  readonly draft = input<Draft | null>(null);
  /** The text as typed, to keep as the room's draft. */
  readonly draftChange = output<string>();

  protected readonly text = signal('');
  private readonly input = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');
  private draftRoom: string | null = null;
  /** Typed while a direct message was opening: the text belongs to the room that opens next. */
  private typedWhileBusy = false;

  constructor() {
    effect(() => {
      const draft = this.draft();
      untracked(() => this.showDraft(draft));
    });
  }

  private showDraft(draft: Draft | null): void {
    if (!draft || draft.room === this.draftRoom) return;
    this.draftRoom = draft.room;
    const carried = this.typedWhileBusy && this.text() !== '';
    this.typedWhileBusy = false;
    if (carried) this.draftChange.emit(this.text());
    else this.text.set(draft.text);
  }

  protected updateText(event: Event): void {
    this.text.set((event.target as HTMLTextAreaElement).value);
    if (this.busy()) this.typedWhileBusy = true;
    else this.draftChange.emit(this.text());
    if (this.text().trim()) this.typing.emit();
  }

  protected sendOnEnter(event: Event): void {
    if (!(event instanceof KeyboardEvent) || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.sendMessage();
  }

  protected editLastOnUp(event: Event): void {
    if (this.text() !== '' || (event instanceof KeyboardEvent && (event.shiftKey || event.altKey))) return;
    event.preventDefault();
    this.editLast.emit();
  }

  protected sendMessage(): void {
    if (this.busy()) return;
    const text = this.text().trim();
    if (!text && !this.hasAttachments()) return;
    this.send.emit(text);
    this.text.set('');
    this.input().nativeElement.focus();
  }

  focus(): void {
    this.input().nativeElement.focus();
  }
}

import { ChangeDetectionStrategy, Component, ElementRef, input, output, signal, viewChild } from '@angular/core';

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

  protected readonly text = signal('');
  private readonly input = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');

  protected updateText(event: Event): void {
    this.text.set((event.target as HTMLTextAreaElement).value);
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

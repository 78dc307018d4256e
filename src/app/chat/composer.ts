import { ChangeDetectionStrategy, Component, ElementRef, input, output, signal, viewChild } from '@angular/core';

/** The message box: Enter sends, Shift+Enter starts a new line. Sending works offline too (the outbox queues). */
@Component({
  selector: 'hb-composer',
  templateUrl: './composer.html',
  styleUrl: './composer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  readonly placeholder = input('Write a message');
  readonly error = input<string | null>(null);
  readonly send = output<string>();
  readonly typing = output<void>();

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

  protected sendMessage(): void {
    const text = this.text().trim();
    if (!text) return;
    this.send.emit(text);
    this.text.set('');
    this.input().nativeElement.focus();
  }

  focus(): void {
    this.input().nativeElement.focus();
  }
}

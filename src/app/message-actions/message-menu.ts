import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';

import { check, EmojiSchema, QUICK_REACTIONS } from '../../../contract';

let nextId = 0;

/**
 * A message's actions behind one button (a menu: arrow keys move, Escape closes and returns to
 * the button): quick reactions, any other emoji, reply, mark as unread, copy link, and — where allowed — edit and delete.
 */
@Component({
  selector: 'hb-message-menu',
  templateUrl: './message-menu.html',
  styleUrl: './message-menu.css',
  host: { '(focusout)': 'closeIfLeft($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageMenu {
  readonly mayEdit = input(false);
  readonly mayDelete = input(false);
  readonly react = output<string>();
  readonly reply = output<void>();
  readonly edit = output<void>();
  readonly remove = output<void>();
  readonly markUnread = output<void>();
  readonly copyLink = output<void>();

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly trigger = viewChild.required<ElementRef<HTMLButtonElement>>('trigger');
  protected readonly menuId = `message-menu-${++nextId}`;
  protected readonly quick = QUICK_REACTIONS;
  protected readonly open = signal(false);
  protected readonly askingEmoji = signal(false);
  protected readonly emoji = signal('');
  protected readonly emojiProblem = signal<string | null>(null);

  protected toggle(): void {
    if (this.open()) this.close();
    else this.show(0);
  }

  protected show(index: number): void {
    this.askingEmoji.set(false);
    this.open.set(true);
    afterNextRender(() => this.items().at(index)?.focus(), { injector: this.injector });
  }

  protected navigate(event: KeyboardEvent): void {
    const items = this.items();
    const current = items.indexOf(event.target as HTMLElement);
    const move: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowRight: current + 1,
      ArrowUp: current - 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: items.length - 1,
    };
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    } else if (event.key === 'Tab') {
      this.open.set(false);
    } else if (event.key in move) {
      event.preventDefault();
      items.at((move[event.key] + items.length) % items.length)?.focus();
    }
  }

  protected choose(action: 'reply' | 'edit' | 'remove' | 'unread' | 'link' | 'other'): void {
    this.open.set(false);
    if (action === 'other') {
      this.askingEmoji.set(true);
      this.emoji.set('');
      this.emojiProblem.set(null);
      afterNextRender(() => this.host.nativeElement.querySelector<HTMLInputElement>('input')?.focus(), {
        injector: this.injector,
      });
      return;
    }
    this.trigger().nativeElement.focus();
    if (action === 'reply') this.reply.emit();
    else if (action === 'edit') this.edit.emit();
    else if (action === 'unread') this.markUnread.emit();
    else if (action === 'link') this.copyLink.emit();
    else this.remove.emit();
  }

  protected pick(emoji: string): void {
    this.close();
    this.react.emit(emoji);
  }

  protected updateEmoji(event: Event): void {
    this.emoji.set((event.target as HTMLInputElement).value);
    this.emojiProblem.set(null);
  }

  protected submitEmoji(): void {
    const checked = check(EmojiSchema, this.emoji().trim());
    if (!checked.ok) {
      this.emojiProblem.set('Enter a single emoji');
      return;
    }
    this.askingEmoji.set(false);
    this.trigger().nativeElement.focus();
    this.react.emit(checked.value);
  }

  protected cancelEmoji(): void {
    this.askingEmoji.set(false);
    this.trigger().nativeElement.focus();
  }

  protected closeIfLeft(event: FocusEvent): void {
    const next = event.relatedTarget;
    if (next instanceof Node && this.host.nativeElement.contains(next)) return;
    this.open.set(false);
  }

  private close(): void {
    this.open.set(false);
    this.trigger().nativeElement.focus();
  }

  private items(): HTMLElement[] {
    return Array.from(this.host.nativeElement.querySelectorAll<HTMLElement>('[role="menuitem"]'));
  }
}

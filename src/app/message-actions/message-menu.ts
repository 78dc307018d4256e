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

import { QUICK_REACTIONS } from '../../../contract';
import { AnchoredTo } from '../popover/place-popover';

let nextId = 0;

/**
 * A message's actions behind one button (a menu: arrow keys move, Escape closes and returns to
 * the button): quick reactions, any other emoji (the row's emoji picker: `otherReaction`), reply,
 * mark as unread, copy link, and — where allowed — edit and delete.
 * The menu stays on screen beside the button (it flips above it near the bottom).
 */
@Component({
  selector: 'hb-message-menu',
  imports: [AnchoredTo],
  templateUrl: './message-menu.html',
  styleUrl: './message-menu.css',
  host: { '(focusout)': 'closeIfLeft($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageMenu {
  readonly mayEdit = input(false);
  readonly mayDelete = input(false);
  readonly react = output<string>();
  /** "Other reaction…": the emoji picker is to open. */
  readonly otherReaction = output<void>();
  readonly reply = output<void>();
  readonly edit = output<void>();
  readonly remove = output<void>();
  readonly markUnread = output<void>();
  readonly copyLink = output<void>();
  /** The sender's profile card (the name above the message opens it too, by pointer). */
  readonly viewProfile = output<void>();

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly trigger = viewChild.required<ElementRef<HTMLButtonElement>>('trigger');
  protected readonly menuId = `message-menu-${++nextId}`;
  protected readonly quick = QUICK_REACTIONS;
  protected readonly open = signal(false);

  protected toggle(): void {
    if (this.open()) this.close();
    else this.show(0);
  }

  protected show(index: number): void {
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

  protected choose(action: 'reply' | 'edit' | 'remove' | 'unread' | 'link' | 'other' | 'profile'): void {
    this.open.set(false);
    if (action === 'other') {
      // The picker takes the focus (and gives it back to its own button).
      this.otherReaction.emit();
      return;
    }
    if (action === 'profile') {
      // The card takes the focus (and gives it back to the sender's name).
      this.viewProfile.emit();
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

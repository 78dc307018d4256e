import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';

import type { Room } from '../../../contract';
import { switcherRooms } from './room-order';

/**
 * Ctrl/⌘+K: a dialog with a combobox (ARIA 1.2: the text box is the combobox, its list a
 * listbox) of the rooms and direct messages; typing filters them, ↑/↓ move, Enter opens,
 * Escape closes and gives the focus back.
 */
@Component({
  selector: 'hb-room-switcher',
  template: `
    <dialog #dialog class="switcher" aria-labelledby="switcher-title" data-testid="room-switcher" (close)="closed()">
      <h2 id="switcher-title" class="title">Switch room</h2>
      <input
        #box
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-controls="switcher-rooms"
        aria-label="Room or person"
        autocomplete="off"
        spellcheck="false"
        placeholder="Room or person"
        data-testid="switcher-input"
        [attr.aria-expanded]="matches().length > 0"
        [attr.aria-activedescendant]="matches().length > 0 ? 'switcher-room-' + active() : null"
        [value]="query()"
        (input)="search($event)"
        (keydown)="navigate($event)"
      />
      <ul id="switcher-rooms" role="listbox" aria-label="Rooms" [hidden]="matches().length === 0">
        @for (room of matches(); track room.name; let i = $index) {
          <!-- The keyboard works in the text box (the combobox): options are never focused, as the ARIA pattern says. -->
          <!-- eslint-disable-next-line @angular-eslint/template/click-events-have-key-events, @angular-eslint/template/interactive-supports-focus -->
          <li
            role="option"
            data-testid="switcher-option"
            [id]="'switcher-room-' + i"
            [attr.data-room]="room.name"
            [attr.aria-selected]="i === active()"
            (mousedown)="$event.preventDefault()"
            (click)="choose(room.name)"
          >
            {{ room.kind === 'dm' ? '' : '# ' }}<bdi>{{ room.title }}</bdi>
          </li>
        }
      </ul>
      @if (matches().length === 0) {
        <p class="none" role="status">No room or person matches</p>
      }
    </dialog>
  `,
  styles: `
    .switcher {
      width: min(28rem, calc(100vw - 1rem));
      max-height: calc(100dvh - 2rem);
      margin: 10vh auto auto;
      padding: 0.75rem;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 10px;
      box-shadow: 0 8px 24px rgb(0 0 0 / 30%);
    }
    .switcher::backdrop {
      background: rgb(0 0 0 / 35%);
    }
    .title {
      margin: 0 0 0.5rem;
      font-size: 0.9rem;
    }
    input {
      width: 100%;
      min-height: 44px;
      padding: 0.5rem 0.6rem;
      font: inherit;
      color: inherit;
      background: var(--bg);
      border: 1px solid var(--border);
      border-radius: 6px;
    }
    ul {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0;
      max-height: 50dvh;
      overflow-y: auto;
    }
    li {
      display: flex;
      align-items: center;
      min-height: 44px;
      padding: 0.3rem 0.6rem;
      border-radius: 6px;
      cursor: pointer;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    li[aria-selected='true'] {
      background: var(--own);
      outline: 2px solid var(--accent);
      outline-offset: -2px;
    }
    .none {
      margin: 0.5rem 0 0;
      color: var(--muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomSwitcher {
  /** The rooms and direct messages the person is in, in the sidebar's order. */
  readonly rooms = input.required<readonly Room[]>();
  /** Room names, most recently opened first. */
  readonly recent = input<readonly string[]>([]);
  readonly current = input('');
  readonly chosen = output<string>();

  private readonly injector = inject(Injector);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly box = viewChild.required<ElementRef<HTMLInputElement>>('box');
  protected readonly query = signal('');
  protected readonly active = signal(0);
  protected readonly matches = computed(() => switcherRooms(this.rooms(), this.query(), this.recent(), this.current()));
  private returnTo: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.dialog().nativeElement.open;
  }

  open(): void {
    const dialog = this.dialog().nativeElement;
    if (dialog.open) return;
    this.returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.query.set('');
    // The most recent room other than this one: Ctrl+K, Enter goes back and forth between two rooms.
    this.active.set(0);
    dialog.showModal();
    this.box().nativeElement.focus();
  }

  close(): void {
    this.dialog().nativeElement.close();
  }

  protected search(event: Event): void {
    this.query.set((event.target as HTMLInputElement).value);
    this.active.set(0);
  }

  protected navigate(event: KeyboardEvent): void {
    const count = this.matches().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count > 0) this.active.update((i) => (i + (event.key === 'ArrowDown' ? 1 : -1) + count) % count);
      this.scrollActiveIntoView();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const room = this.matches()[this.active()];
      if (room) this.choose(room.name);
    }
  }

  protected choose(room: string): void {
    // Closed first, so its focus return does not undo the room's own (the composer).
    this.returnTo = null;
    this.close();
    this.chosen.emit(room);
  }

  /** Escape, or closed after a choice: the focus goes back to where it was, unless a room was chosen. */
  protected closed(): void {
    const back = this.returnTo;
    this.returnTo = null;
    if (back?.isConnected) back.focus();
  }

  private scrollActiveIntoView(): void {
    afterNextRender(
      () => this.dialog().nativeElement.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' }),
      { injector: this.injector },
    );
  }
}

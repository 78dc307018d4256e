import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { readStateFeature } from '../read-state/read-state.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import { neighbourRoom, visited } from './room-order';
import { RoomSwitcher } from './room-switcher';

/** Where the recently opened rooms are kept (names only), so the switcher's order survives a reload. */
const RECENT_KEY = 'hubbub.recentRooms';

/**
 * The app-wide keys (listed in docs/behaviour.md, and by `?` on screen): Ctrl/⌘+K opens the room
 * switcher, Alt+↑/↓ goes to the room above or below, Alt+Shift+↑/↓ to the one with unread
 * messages, and `?` (outside a text box) lists the keys.
 */
@Component({
  selector: 'hb-keyboard-shortcuts',
  imports: [RoomSwitcher],
  host: { '(document:keydown)': 'handleKey($event)' },
  template: `
    <hb-room-switcher [rooms]="rooms()" [recent]="recent()" [current]="room()" (chosen)="openRoom($event)" />
    <dialog #help class="help" aria-labelledby="shortcuts-title" data-testid="shortcuts-help" (close)="helpClosed()">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl>
        <dt><kbd>Ctrl</kbd>+<kbd>K</kbd> or <kbd>⌘</kbd>+<kbd>K</kbd></dt>
        <dd>Switch to a room or person by name</dd>
        <dt><kbd>Alt</kbd>+<kbd>↑</kbd> / <kbd>↓</kbd></dt>
        <dd>Previous or next room</dd>
        <dt><kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>↑</kbd> / <kbd>↓</kbd></dt>
        <dd>Previous or next room with unread messages</dd>
        <dt><kbd>↑</kbd> in an empty message box</dt>
        <dd>Edit your last message (<kbd>Enter</kbd> saves, <kbd>Escape</kbd> cancels)</dd>
        <dt><kbd>Enter</kbd> / <kbd>Shift</kbd>+<kbd>Enter</kbd></dt>
        <dd>Send / new line</dd>
        <dt><kbd>↑</kbd> <kbd>↓</kbd> <kbd>Home</kbd> <kbd>End</kbd> in the messages</dt>
        <dd>Move between messages (<kbd>Tab</kbd> reaches the focused message's actions)</dd>
        <dt><kbd>?</kbd></dt>
        <dd>This list</dd>
      </dl>
      <form method="dialog">
        <button type="submit" data-testid="shortcuts-close">Close</button>
      </form>
    </dialog>
  `,
  styles: `
    :host {
      display: contents;
    }
    .help {
      width: min(34rem, calc(100vw - 1rem));
      max-height: calc(100dvh - 2rem);
      padding: 1rem;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 10px;
    }
    .help::backdrop {
      background: rgb(0 0 0 / 35%);
    }
    h2 {
      margin: 0 0 0.75rem;
      font-size: 1.05rem;
    }
    dl {
      display: grid;
      grid-template-columns: minmax(0, auto) minmax(0, 1fr);
      gap: 0.5rem 1rem;
      margin: 0 0 1rem;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    kbd {
      padding: 0 0.3rem;
      font:
        0.85em ui-monospace,
        monospace;
      border: 1px solid var(--border);
      border-radius: 4px;
    }
    @media (max-width: 480px) {
      dl {
        grid-template-columns: minmax(0, 1fr);
      }
      dd {
        margin-bottom: 0.4rem;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KeyboardShortcuts {
  private readonly store = inject(Store);
  private readonly switcher = viewChild.required(RoomSwitcher);
  private readonly help = viewChild.required<ElementRef<HTMLDialogElement>>('help');

  protected readonly room = this.store.selectSignal(chatSelectors.selectActiveRoom);
  private readonly joined = this.store.selectSignal(roomsFeature.selectJoinedRooms);
  private readonly directMessages = this.store.selectSignal(roomsFeature.selectDirectMessages);
  private readonly counts = this.store.selectSignal(readStateFeature.selectRoomCounts);
  /** The sidebar's order: rooms, then direct messages. */
  protected readonly rooms = computed(() => [...this.joined(), ...this.directMessages()]);
  protected readonly recent = signal<readonly string[]>(readRecent());
  private helpReturn: HTMLElement | null = null;

  constructor() {
    effect(() => {
      const room = this.room();
      untracked(() => {
        if (!room) return;
        this.recent.update((recent) => visited(recent, room));
        saveRecent(this.recent());
      });
    });
  }

  protected handleKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.isComposing) return;
    const command = event.ctrlKey || event.metaKey;
    if (command && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      if (this.switcher().isOpen) this.switcher().close();
      else if (!this.anyDialogOpen()) this.switcher().open();
    } else if (event.altKey && !command && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      if (this.anyDialogOpen()) return;
      event.preventDefault();
      const step = event.key === 'ArrowUp' ? -1 : 1;
      const next = neighbourRoom(this.rooms(), this.room(), step, event.shiftKey ? this.counts() : undefined);
      if (next) this.openRoom(next);
    } else if (event.key === '?' && !command && !event.altKey && !typesText(event.target)) {
      if (this.anyDialogOpen()) return;
      event.preventDefault();
      this.helpReturn = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      this.help().nativeElement.showModal();
      this.help().nativeElement.querySelector('button')?.focus();
    }
  }

  protected helpClosed(): void {
    if (this.helpReturn?.isConnected) this.helpReturn.focus();
    this.helpReturn = null;
  }

  /** The one way a shortcut opens a room: as the sidebar does. */
  protected openRoom(room: string): void {
    this.store.dispatch(ChatPageActions.roomSelected({ room }));
  }

  private anyDialogOpen(): boolean {
    return document.querySelector('dialog[open]') !== null;
  }
}

/** Whether a key pressed here types text (a `?` there is a question mark, not a shortcut). */
function typesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  return (
    target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type)
  );
}

function readRecent(): readonly string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    return [];
  }
}

function saveRecent(recent: readonly string[]): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
  } catch {
    // Private mode or full storage: the order lasts for this page only.
  }
}

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  Injector,
  signal,
  untracked,
  ViewContainerRef,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { readStateFeature } from '../read-state/read-state.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import { SearchLauncher } from '../search/search-launcher';
import { neighbourRoom, visited } from './room-order';
import type { ShortcutDialogs } from './shortcut-dialogs';

/** Where the recently opened rooms are kept (names only), so the switcher's order survives a reload. */
const RECENT_KEY = 'hubbub.recentRooms';

/**
 * The app-wide keys (listed in docs/behaviour.md, and by `?` on screen): Ctrl/⌘+K opens the room
 * switcher, Ctrl/⌘+Shift+F the search panel, Alt+↑/↓ goes to the room above or below, Alt+Shift+↑/↓ to the one with unread
 * messages, and `?` (outside a text box) lists the keys.
 */
@Component({
  selector: 'hb-keyboard-shortcuts',
  host: { '(document:keydown)': 'handleKey($event)' },
  template: '',
  styles: `
    :host {
      display: contents;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KeyboardShortcuts {
  private readonly store = inject(Store);
  private readonly container = inject(ViewContainerRef);
  private readonly injector = inject(Injector);
  private readonly search = inject(SearchLauncher);
  /** The switcher and the key list, loaded on first use. */
  private dialogs: Promise<ShortcutDialogs> | null = null;

  protected readonly room = this.store.selectSignal(chatSelectors.selectActiveRoom);
  private readonly joined = this.store.selectSignal(roomsFeature.selectJoinedRooms);
  private readonly directMessages = this.store.selectSignal(roomsFeature.selectDirectMessages);
  private readonly counts = this.store.selectSignal(readStateFeature.selectRoomCounts);
  /** The sidebar's order: rooms, then direct messages. */
  protected readonly rooms = computed(() => [...this.joined(), ...this.directMessages()]);
  protected readonly recent = signal<readonly string[]>(readRecent());

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
    if (command && !event.altKey && event.shiftKey && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      this.search.open();
    } else if (command && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      this.withDialogs((dialogs) => dialogs.toggleSwitcher());
    } else if (event.altKey && !command && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      if (anyDialogOpen()) return;
      event.preventDefault();
      const step = event.key === 'ArrowUp' ? -1 : 1;
      const next = neighbourRoom(this.rooms(), this.room(), step, event.shiftKey ? this.counts() : undefined);
      if (next) this.openRoom(next);
    } else if (event.key === '?' && !command && !event.altKey && !typesText(event.target)) {
      if (anyDialogOpen()) return;
      event.preventDefault();
      this.withDialogs((dialogs) => dialogs.showHelp());
    }
  }

  /** The one way a shortcut opens a room: as the sidebar does. */
  protected openRoom(room: string): void {
    this.store.dispatch(ChatPageActions.roomSelected({ room }));
  }

  private withDialogs(use: (dialogs: ShortcutDialogs) => void): void {
    this.dialogs ??= import('./shortcut-dialogs').then(({ ShortcutDialogs }) => {
      const ref = this.container.createComponent(ShortcutDialogs);
      const update = (): void => {
        ref.setInput('rooms', this.rooms());
        ref.setInput('recent', this.recent());
        ref.setInput('room', this.room());
      };
      update();
      effect(update, { injector: this.injector });
      ref.instance.chosen.subscribe((room) => this.openRoom(room));
      ref.changeDetectorRef.detectChanges();
      return ref.instance;
    });
    void this.dialogs.then(use);
  }
}

function anyDialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
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

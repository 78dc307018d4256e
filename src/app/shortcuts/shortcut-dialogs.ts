import { ChangeDetectionStrategy, Component, ElementRef, input, output, viewChild } from '@angular/core';

import type { Room } from '../../../contract';
import { RoomSwitcher } from './room-switcher';

/**
 * The shortcuts' dialogs: the room switcher and the list of keys. Loaded on the first Ctrl/⌘+K
 * or `?` (keyboard-shortcuts.ts), so they cost the first download nothing.
 */
@Component({
  selector: 'hb-shortcut-dialogs',
  imports: [RoomSwitcher],
  template: `
    <hb-room-switcher [rooms]="rooms()" [recent]="recent()" [current]="room()" (chosen)="chosen.emit($event)" />
    <dialog #help class="help" aria-labelledby="shortcuts-title" data-testid="shortcuts-help" (close)="helpClosed()">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl>
        <dt><kbd>Ctrl</kbd>+<kbd>K</kbd> or <kbd>⌘</kbd>+<kbd>K</kbd></dt>
        <dd>Switch to a room or person by name</dd>
        <dt><kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>F</kbd> or <kbd>⌘</kbd>+<kbd>Shift</kbd>+<kbd>F</kbd></dt>
        <dd>Search messages</dd>
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
export class ShortcutDialogs {
  readonly rooms = input.required<readonly Room[]>();
  readonly recent = input<readonly string[]>([]);
  readonly room = input('');
  readonly chosen = output<string>();

  private readonly switcher = viewChild.required(RoomSwitcher);
  private readonly help = viewChild.required<ElementRef<HTMLDialogElement>>('help');
  private helpReturn: HTMLElement | null = null;

  toggleSwitcher(): void {
    if (this.switcher().isOpen) this.switcher().close();
    else if (!document.querySelector('dialog[open]')) this.switcher().open();
  }

  showHelp(): void {
    if (document.querySelector('dialog[open]')) return;
    this.helpReturn = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.help().nativeElement.showModal();
    this.help().nativeElement.querySelector('button')?.focus();
  }

  protected helpClosed(): void {
    if (this.helpReturn?.isConnected) this.helpReturn.focus();
    this.helpReturn = null;
  }
}

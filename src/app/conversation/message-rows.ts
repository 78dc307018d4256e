import { Injectable, signal } from '@angular/core';

/**
 * What a message list shares with its rows: which row is being edited or asked about (one at a
 * time), which one a quote jumped to, and the list's scrolling, which rows ask for by id.
 */
@Injectable()
export class MessageRows {
  readonly editingId = signal<string | null>(null);
  readonly confirmingId = signal<string | null>(null);
  readonly highlightedId = signal<string | null>(null);
  /** Scrolls a message into view and focuses it (the list sets this: it owns the window and the scroll position). */
  focusMessage: (id: string) => void = () => undefined;
  /** Drops a focus asked for but not yet given (set by the list). */
  forgetFocus: () => void = () => undefined;
  /** Goes to a quoted message, or asks for older pages until it is loaded (set by the list). */
  jumpTo: (id: string) => void = () => undefined;

  /** Where the focus goes back to when the edit ends (the composer after Up), if not to the message. */
  private editReturn: HTMLElement | null = null;

  startEditing(id: string, returnTo: HTMLElement | null = null): void {
    this.confirmingId.set(null);
    this.editingId.set(id);
    this.editReturn = returnTo;
  }

  /** Ends the edit and puts the focus back where the person came from: the element that started it, else the message. */
  stopEditing(id: string): void {
    const back = this.editReturn;
    this.editReturn = null;
    this.editingId.set(null);
    if (back?.isConnected) back.focus();
    else this.focusMessage(id);
  }
}

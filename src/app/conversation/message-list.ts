import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import type { QuoteView } from '../message-actions/reply-quote';
import type { LinkedMessage, Seek } from '../messages/chat.state';
import type { ChatMessage } from '../messages/chat-message';
import { replyExcerpt } from '../outbox/outgoing-message';
import { mentionsUser } from '../read-state/read-state.feature';
import { currentDay } from '../reading/current-day';
import { layOut } from '../reading/message-layout';
import { messageAfterKey, tabTarget } from './list-focus';
import { MessageRow } from './message-row';
import { MessageRows } from './message-rows';

/** How many messages are in the DOM at most, and how far the window moves at a time. */
export const WINDOW_SIZE = 150;
export const WINDOW_STEP = 50;
/** Within this many pixels of an edge counts as "at" it. */
const EDGE = 120;
const BOTTOM_SLACK = 48;

interface ScrollAnchor {
  readonly id: string;
  readonly offset: number;
}

/**
 * The room's messages, newest at the bottom. Only a window of at most {@link WINDOW_SIZE}
 * messages is rendered, so a room with 10,000 messages keeps the DOM small: scrolling near the top
 * moves the window back (or asks for an older page once it reaches the oldest loaded message),
 * scrolling down moves it forward, and "Jump to latest" returns to the live end. While the reader
 * is at the bottom, new messages keep it there; otherwise the message they are reading stays put.
 *
 * Each message is a row (message-row.ts) that handles its own actions; a reply's quote jumps to
 * the original, moving the window to it, or asking for older pages until it is loaded.
 */
@Component({
  selector: 'hb-message-list',
  imports: [MessageRow],
  providers: [MessageRows],
  templateUrl: './message-list.html',
  styleUrl: './message-list.css',
  host: {
    '(document:keydown)': 'noteKey($event)',
    // A method, not `tabbing = false`: a listener whose expression is false cancels the event, and
    // a cancelled keyup stops Space from pressing buttons and ticking checkboxes anywhere.
    '(document:keyup)': 'stopTabbing()',
    '(document:pointerdown)': 'stopTabbing()',
  },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageList {
  readonly room = input('');
  readonly messages = input.required<readonly ChatMessage[]>();
  readonly selfId = input<string | null>(null);
  readonly hasMore = input(false);
  readonly loadingOlder = input(false);
  /** Messages from others newer than this were unread when the room was opened: a divider marks them. */
  readonly readMarker = input<string | null>(null);
  /** Looking for a quoted message by paging back. */
  readonly seek = input<Seek | null>(null);
  /** Everyone's current name by id: what mentions show. */
  readonly mentionNames = input<Readonly<Record<string, string>>>({});
  /** The message the address names, once loaded: scrolled to, highlighted and focused (again for each new opening). */
  readonly linked = input<LinkedMessage | null>(null);
  readonly loadOlder = output<void>();
  /** A quoted message is not loaded: page back until it is. */
  readonly findMessage = output<string>();
  /** Whether the newest messages are on screen (scrolled to the end): reading them marks the room read. */
  readonly atEndChange = output<boolean>();

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  /** Following the live end (the window is the newest messages), or reading history from `windowStart`. */
  private readonly pinned = signal(true);
  private readonly windowStart = signal<string | null>(null);
  protected readonly atBottom = signal(true);
  private anchor: ScrollAnchor | null = null;
  /** The first message shown when an older page was asked for: once the page arrives, the window widens back from it. */
  private expandFrom: string | null = null;
  /** Which row is being edited or asked about, and the message a quote jumped to (outlined until the next jump). */
  protected readonly rows = inject(MessageRows);
  /** A message to scroll to and focus once rendered; `jumps` makes the render effect run even if the window did not move. */
  private focusTarget: { readonly id: string; readonly focus: boolean; readonly block: ScrollLogicalPosition } | null =
    null;
  private readonly jumps = signal(0);
  /** The quoted message asked for, revealed when an older page brings it. */
  private seekingId: string | null = null;
  /** Others' messages that arrived at the live end while the reader was elsewhere: the count on the "new messages" button. */
  protected readonly unseen = signal(0);
  /** The room and newest message last shown, to tell messages arriving at the end from older pages. */
  private newestShown: { readonly room: string; readonly sentAt: string; readonly ids: ReadonlySet<string> } | null =
    null;

  /** The message last focused: the list's one Tab stop while it is in the window (else the newest shown). */
  private readonly activeId = signal<string | null>(null);
  protected readonly tabStopId = computed(() => {
    const { messages } = this.view();
    const active = this.activeId();
    return messages.some((message) => message.id === active) ? active : (messages.at(-1)?.id ?? null);
  });
  /** Tab is down: focus arriving now came by Tab, not by a click or a script. */
  protected tabbing = false;

  /** The opening of a message address shown last: each opening is shown once. */
  private shownLink: LinkedMessage | null = null;

  private readonly byId = computed(() => new Map(this.messages().map((message) => [message.id, message])));

  protected readonly seekStatus = computed(() => {
    const seek = this.seek();
    if (seek?.room !== this.room()) return null;
    if (seek.status === 'loading') return 'Finding the original message…';
    if (seek.status === 'missing') return 'The original message is no longer available';
    return null;
  });

  protected readonly view = computed(() => {
    const messages = this.messages();
    const startIndex = this.pinned() ? -1 : messages.findIndex((message) => message.id === this.windowStart());
    const start = startIndex >= 0 ? startIndex : Math.max(0, messages.length - WINDOW_SIZE);
    const end = Math.min(messages.length, start + WINDOW_SIZE);
    return { start, end, messages: messages.slice(start, end), atStart: start === 0, atEnd: end === messages.length };
  });

  protected readonly dividerBefore = computed(() => {
    const marker = this.readMarker();
    if (marker === null) return null;
    const self = this.selfId();
    return this.messages().find((message) => message.sentAt > marker && message.sender.id !== self)?.id ?? null;
  });

  protected readonly showJumpToLatest = computed(() => !this.view().atEnd || !this.atBottom());
  private readonly atEnd = computed(() => this.view().atEnd && this.atBottom());

  private readonly today = currentDay();

  /** Day separators and sender groups of the messages in the window. */
  protected readonly places = computed(() => {
    const { messages } = this.view();
    const divider = this.dividerBefore();
    const breaks = new Set(messages.filter((message) => message.replyTo).map((message) => message.id));
    if (divider !== null) breaks.add(divider);
    return layOut(messages, this.today(), breaks);
  });

  protected mentionsSelf(message: ChatMessage): boolean {
    const self = this.selfId();
    return (
      self !== null && message.sender.id !== self && !message.room.startsWith('dm-') && mentionsUser(message, self)
    );
  }

  constructor() {
    this.rows.focusMessage = (id) => this.focusMessage(id);
    this.rows.forgetFocus = () => (this.focusTarget = null);
    this.rows.jumpTo = (id) => this.jumpTo(id);
    effect(() => {
      this.room();
      untracked(() => {
        this.followLatest();
        this.activeId.set(null);
      });
    });
    effect(() => {
      const messages = this.messages();
      untracked(() => {
        this.showArrivedOlderPage(messages);
        this.followArrivals(messages);
      });
    });
    effect(() => {
      if (this.atEnd()) untracked(() => this.unseen.set(0));
    });
    effect(() => {
      this.messages();
      const seek = this.seek();
      untracked(() => {
        if (this.seekingId !== null && seek?.id === this.seekingId && this.revealMessage(this.seekingId)) {
          this.seekingId = null;
        }
      });
    });
    effect(() => {
      const linked = this.linked();
      this.messages();
      untracked(() => {
        if (linked !== null && linked !== this.shownLink && this.showLinked(linked.id)) this.shownLink = linked;
      });
    });
    effect(() => this.atEndChange.emit(this.atEnd()));
    afterRenderEffect(() => {
      this.view();
      this.jumps();
      untracked(() => this.restoreScroll());
    });
  }

  /** What a reply shows of the message it answers: the held copy's current state when loaded, else the server's quote. */
  protected quoteOf(message: ChatMessage): QuoteView | null {
    const quote = message.replyTo;
    if (!quote) return null;
    const original = this.byId().get(quote.id);
    if (original) {
      return {
        id: quote.id,
        sender: original.sender.name,
        excerpt: replyExcerpt(original, this.mentionNames()),
        deleted: original.deleted === true,
      };
    }
    return {
      id: quote.id,
      sender: quote.sender?.name ?? null,
      excerpt: quote.excerpt ?? '',
      deleted: quote.deleted === true,
    };
  }

  private jumpTo(id: string): void {
    if (this.revealMessage(id)) return;
    this.seekingId = id;
    this.findMessage.emit(id);
  }

  /** Up arrow in an empty composer: edit the user's newest message. Returns whether there was one. */
  editLastOwn(): boolean {
    const self = this.selfId();
    const last = this.messages().findLast(
      (message) => message.sender.id === self && message.status === 'sent' && !message.deleted,
    );
    if (!last) return false;
    // In view, but not focused: the editor takes the focus, and gives it back to the composer.
    const from = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.revealMessage(last.id, false, false);
    this.rows.startEditing(last.id, from);
    return true;
  }

  /**
   * Moves the window so the message is in it (a little after its start, so there is context
   * above), then scrolls to it and focuses it. False when the message is not loaded.
   */
  private revealMessage(id: string, highlight = true, focus = true): boolean {
    const messages = this.messages();
    const index = messages.findIndex((message) => message.id === id);
    if (index < 0) return false;
    const { start, end } = this.view();
    if (index < start || index >= end) {
      const from = Math.max(0, Math.min(index - WINDOW_STEP / 2, messages.length - WINDOW_SIZE));
      this.moveWindow(from);
    }
    if (highlight) this.rows.highlightedId.set(id);
    this.focusMessage(id, focus);
    return true;
  }

  /**
   * A message's address: the window starts a little before it and stays there (not following the
   * live end) while catch-up brings the newer messages in behind it.
   */
  private showLinked(id: string): boolean {
    const index = this.messages().findIndex((message) => message.id === id);
    if (index < 0) return false;
    this.moveWindow(Math.max(0, index - WINDOW_STEP / 2));
    this.rows.highlightedId.set(id);
    this.focusMessage(id, true, 'center');
    return true;
  }

  private focusMessage(id: string, focus = true, block: ScrollLogicalPosition = 'nearest'): void {
    this.focusTarget = { id, focus, block };
    this.atBottom.set(false);
    this.jumps.update((n) => n + 1);
  }

  protected trackScroll(): void {
    const element = this.scroller().nativeElement;
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    this.atBottom.set(fromBottom < BOTTOM_SLACK);
    this.anchor = this.findAnchor(element);
    const { start, end, atStart, atEnd } = this.view();
    if (element.scrollTop < EDGE) {
      if (!atStart) this.moveWindow(Math.max(0, start - WINDOW_STEP));
      else if (this.hasMore() && !this.loadingOlder()) this.askForOlder();
    } else if (fromBottom < EDGE && !atEnd) {
      const messages = this.messages();
      if (end + WINDOW_STEP >= messages.length) this.pinned.set(true);
      else this.moveWindow(start + WINDOW_STEP);
    }
  }

  protected noteKey(event: KeyboardEvent): void {
    this.tabbing = event.key === 'Tab';
  }

  protected stopTabbing(): void {
    this.tabbing = false;
  }

  /** Arrow keys move between messages; Tab goes through the focused message's controls, then out of the list. */
  protected moveFocus(event: KeyboardEvent): void {
    // A dialog inside a message (the image viewer) keeps its own Tab order.
    if (event.defaultPrevented || (event.target as HTMLElement).closest('dialog')) return;
    const scroller = this.scroller().nativeElement;
    const target =
      event.key === 'Tab' && !event.altKey && !event.ctrlKey && !event.metaKey
        ? tabTarget(event.target as HTMLElement, event.shiftKey ? -1 : 1, scroller)
        : messageAfterKey(event, scroller);
    if (!target) return;
    event.preventDefault();
    target.focus();
  }

  /** Tabbing into the list lands on its Tab stop (the newest message, or the one last focused), wherever the browser put it. */
  protected focusEntered(event: FocusEvent): void {
    const scroller = this.scroller().nativeElement;
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('[data-message-id]');
    const from = event.relatedTarget;
    const fromOutside = !(from instanceof Node && scroller.contains(from));
    if (this.tabbing && fromOutside && item) {
      const stop = this.itemOf(this.tabStopId() ?? '');
      if (stop && stop !== target) {
        stop.focus();
        return;
      }
    }
    if (item) this.activeId.set(item.dataset['messageId'] ?? null);
  }

  /**
   * Messages that arrived at the live end: the user's own new message always brings the list down
   * to it (they must see it went out); others' count on the "new messages" button while the
   * reader is elsewhere. Older pages and a room switch are not arrivals.
   */
  private followArrivals(messages: readonly ChatMessage[]): void {
    const room = this.room();
    const previous = this.newestShown;
    const newest = messages.at(-1);
    this.newestShown = { room, sentAt: newest?.sentAt ?? '', ids: new Set(messages.map((message) => message.id)) };
    if (previous?.room !== room) {
      this.unseen.set(0);
      return;
    }
    const self = this.selfId();
    const added = messages.filter((message) => !previous.ids.has(message.id));
    // Our own unsent copy, wherever the local clock put it.
    if (added.some((message) => message.sender.id === self && message.status !== 'sent')) {
      this.followLatest();
      this.unseen.set(0);
      return;
    }
    const arrived = added.filter((message) => message.sender.id !== self && message.sentAt >= previous.sentAt);
    if (arrived.length > 0 && !this.atEnd()) this.unseen.update((count) => count + arrived.length);
  }

  protected jumpToLatest(): void {
    this.followLatest();
    this.restoreScroll();
  }

  protected requestOlder(): void {
    this.anchor = this.findAnchor(this.scroller().nativeElement);
    this.askForOlder();
  }

  private askForOlder(): void {
    this.expandFrom = this.view().messages[0]?.id ?? null;
    this.loadOlder.emit();
  }

  /**
   * An older page was prepended: move the window back over it (the anchored message stays put on
   * screen). Otherwise a window following the live end would keep showing the same newest
   * messages, and a reader already at the very top would get no further scroll event to go on.
   */
  private showArrivedOlderPage(messages: readonly ChatMessage[]): void {
    if (this.expandFrom === null) return;
    const index = messages.findIndex((message) => message.id === this.expandFrom);
    if (index <= 0) return;
    this.expandFrom = null;
    this.moveWindow(Math.max(0, index - WINDOW_STEP));
  }

  private followLatest(): void {
    this.pinned.set(true);
    this.atBottom.set(true);
    this.anchor = null;
  }

  private moveWindow(start: number): void {
    const id = this.messages()[start]?.id;
    if (id === undefined) return;
    this.pinned.set(false);
    this.windowStart.set(id);
  }

  /** After the list changed: stay at the bottom if the reader was there, else keep their message in place. */
  private restoreScroll(): void {
    const element = this.scroller().nativeElement;
    if (this.focusTarget !== null) {
      const { id, focus, block } = this.focusTarget;
      const item = this.itemOf(id);
      this.focusTarget = null;
      if (item) {
        item.scrollIntoView?.({ block });
        if (focus) item.focus({ preventScroll: true });
        this.anchor = this.findAnchor(element);
        const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
        this.atBottom.set(fromBottom < BOTTOM_SLACK);
        return;
      }
    }
    if (this.pinned() && this.atBottom()) {
      element.scrollTop = element.scrollHeight;
      return;
    }
    const anchor = this.anchor;
    if (!anchor) return;
    const item = this.itemOf(anchor.id);
    if (item) element.scrollTop = item.offsetTop - anchor.offset;
  }

  private itemOf(id: string): HTMLElement | null {
    const items = this.scroller().nativeElement.querySelectorAll<HTMLElement>('[data-message-id]');
    return Array.from(items).find((item) => item.dataset['messageId'] === id) ?? null;
  }

  private findAnchor(element: HTMLElement): ScrollAnchor | null {
    for (const item of Array.from(element.querySelectorAll<HTMLElement>('[data-message-id]'))) {
      if (item.offsetTop + item.offsetHeight > element.scrollTop) {
        return { id: item.dataset['messageId'] ?? '', offset: item.offsetTop - element.scrollTop };
      }
    }
    return null;
  }
}

import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import type { ChatMessage } from './chat-message';
import { MessageTime } from './message-time';

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
 */
@Component({
  selector: 'hb-message-list',
  imports: [MessageTime],
  templateUrl: './message-list.html',
  styleUrl: './message-list.css',
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
  readonly retry = output<ChatMessage>();
  readonly loadOlder = output<void>();

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  /** Following the live end (the window is the newest messages), or reading history from `windowStart`. */
  private readonly pinned = signal(true);
  private readonly windowStart = signal<string | null>(null);
  protected readonly atBottom = signal(true);
  private anchor: ScrollAnchor | null = null;
  /** The first message shown when an older page was asked for: once the page arrives, the window widens back from it. */
  private expandFrom: string | null = null;

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

  constructor() {
    effect(() => {
      this.room();
      untracked(() => this.followLatest());
    });
    effect(() => {
      const messages = this.messages();
      untracked(() => this.showArrivedOlderPage(messages));
    });
    afterRenderEffect(() => {
      this.view();
      untracked(() => this.restoreScroll());
    });
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
    if (this.pinned() && this.atBottom()) {
      element.scrollTop = element.scrollHeight;
      return;
    }
    const anchor = this.anchor;
    if (!anchor) return;
    const item = element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(anchor.id)}"]`);
    if (item) element.scrollTop = item.offsetTop - anchor.offset;
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

import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  output,
  signal,
  viewChild,
} from '@angular/core';

import { EDGE_MARGIN, placePopover } from '../popover/place-popover';
import { EmojiPickerLoader } from './emoji-picker-loader';

let nextId = 0;

/** The picker's size (emoji-picker-element's default grid); it is placed to fit the screen. */
const WIDTH = 344;
const HEIGHT = 392;

/**
 * A message's "Add reaction" button and the emoji picker it opens: search, skin tones and the
 * emoji used most, from `emoji-picker-element` (loaded the first time a picker opens; see
 * {@link EmojiPickerLoader}). The picker is a popover in the top layer, so the message list's
 * scrolling never clips it; it sits beside the button, inside the screen. Escape or a click
 * outside closes it and the focus goes back to the button; an emoji chosen is `picked`.
 */
@Component({
  selector: 'hb-reaction-picker',
  template: `
    <button
      #button
      type="button"
      class="add"
      data-testid="add-reaction"
      aria-label="Add reaction"
      title="Add reaction"
      aria-haspopup="dialog"
      [attr.aria-expanded]="open()"
      [attr.aria-controls]="panelId"
      [attr.popovertarget]="panelId"
    >
      <span aria-hidden="true">☺︎+</span>
    </button>
    <div
      #panel
      popover="auto"
      class="panel"
      role="dialog"
      aria-label="Choose a reaction"
      data-testid="reaction-picker"
      [id]="panelId"
      (beforetoggle)="placeIfOpening($event)"
      (toggle)="toggled($event)"
    >
      @if (problem(); as problem) {
        <p class="status" role="alert">{{ problem }}</p>
      } @else if (!ready()) {
        <p class="status" role="status">Loading emoji…</p>
      }
    </div>
  `,
  styleUrl: './reaction-picker.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReactionPicker {
  readonly picked = output<string>();

  private readonly loader = inject(EmojiPickerLoader);
  private readonly injector = inject(Injector);
  private readonly button = viewChild.required<ElementRef<HTMLButtonElement>>('button');
  private readonly panel = viewChild.required<ElementRef<HTMLElement>>('panel');
  protected readonly panelId = `reaction-picker-${++nextId}`;
  protected readonly open = signal(false);
  protected readonly ready = signal(false);
  protected readonly problem = signal<string | null>(null);
  private picker: HTMLElement | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.picker?.remove());
  }

  /** The focus was in the picker as it began to close: it goes back to the button. */
  private focusWasInside = false;

  /** Opens the picker (the button does by itself; the message menu's "Other reaction…" calls this). */
  show(): void {
    if (!this.open()) this.panel().nativeElement.showPopover();
  }

  close(): void {
    if (this.open()) this.panel().nativeElement.hidePopover();
  }

  /** Placed before it shows (set on the element: a binding would apply a frame late); where the focus is as it closes. */
  protected placeIfOpening(event: Event): void {
    if ((event as ToggleEvent).newState !== 'open') {
      // Closing with the focus in it: read now, before the browser hands the focus back to
      // whatever had it when the picker opened (the message box, say).
      this.focusWasInside = this.panel().nativeElement.contains(document.activeElement);
      return;
    }
    const size = {
      width: Math.min(WIDTH, window.innerWidth - 2 * EDGE_MARGIN),
      height: Math.min(HEIGHT, window.innerHeight - 2 * EDGE_MARGIN),
    };
    const viewport = { width: window.innerWidth, height: window.innerHeight };
    const { left, top, maxHeight } = placePopover(this.button().nativeElement.getBoundingClientRect(), size, viewport);
    const style = this.panel().nativeElement.style;
    style.left = `${left}px`;
    style.top = `${top}px`;
    style.maxHeight = maxHeight === null ? '' : `${maxHeight}px`;
  }

  /** The popover opened or closed (the button, Escape and clicks outside toggle it without us). */
  protected toggled(event: Event): void {
    const opened = (event as ToggleEvent).newState === 'open';
    this.open.set(opened);
    if (opened) {
      void this.mount();
      return;
    }
    // Closed with the focus in it (or lost with it): back to the button, as from a menu.
    const active = document.activeElement;
    const inside = this.focusWasInside;
    this.focusWasInside = false;
    if (inside || !active || active === document.body || this.panel().nativeElement.contains(active)) {
      this.button().nativeElement.focus();
    }
  }

  private async mount(): Promise<void> {
    if (this.picker) {
      this.focusSearch();
      return;
    }
    this.problem.set(null);
    try {
      const picker = await this.loader.create();
      if (this.picker) return;
      picker.addEventListener('emoji-click', (event) => {
        const unicode = (event as CustomEvent<{ unicode?: string }>).detail.unicode;
        if (!unicode) return;
        this.close();
        this.picked.emit(unicode);
      });
      this.picker = picker;
      this.panel().nativeElement.append(picker);
      this.ready.set(true);
      afterNextRender(() => this.focusSearch(), { injector: this.injector });
    } catch {
      this.problem.set('The emoji picker could not load. Check your connection and try again.');
    }
  }

  private focusSearch(): void {
    if (!this.open()) return;
    this.picker?.shadowRoot?.querySelector<HTMLInputElement>('input[type="search"], #search')?.focus();
  }
}

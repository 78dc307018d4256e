import { afterNextRender, DestroyRef, Directive, ElementRef, inject, input } from '@angular/core';

/** A box on screen, in CSS pixels from the viewport's top left (what `getBoundingClientRect` gives). */
export interface Box {
  readonly top: number;
  readonly left: number;
  readonly width: number;
  readonly height: number;
}

export interface Placement {
  readonly top: number;
  readonly left: number;
  /** Set when neither side has room for the whole popover: it scrolls inside this height. */
  readonly maxHeight: number | null;
  readonly side: 'below' | 'above';
}

/** How far a popover keeps from the viewport's edges. */
export const EDGE_MARGIN = 8;

/**
 * Where a popover of `size` goes beside its `anchor` so that it stays inside the `viewport`: below
 * the anchor, or above it where below has no room and above has more (it flips); its end edge
 * lined up with the anchor's, slid sideways as far as needed to stay on screen (it shifts). When
 * neither side has room it takes the roomier one and scrolls inside.
 *
 * Why our own and not @angular/cdk's overlay: the app's popovers are a menu and a small form
 * beside a button; this is the one rule they need, in a few lines, where the CDK would add a
 * dependency and an overlay container for the same result. CSS anchor positioning would do it
 * without script, but not yet in every current browser.
 */
export function placePopover(
  anchor: Box,
  size: { readonly width: number; readonly height: number },
  viewport: { readonly width: number; readonly height: number },
  margin = EDGE_MARGIN,
): Placement {
  const below = viewport.height - margin - (anchor.top + anchor.height);
  const above = anchor.top - margin;
  const side = size.height <= below || below >= above ? 'below' : 'above';
  const room = side === 'below' ? below : above;
  const height = Math.min(size.height, Math.max(room, 0));
  const top = side === 'below' ? anchor.top + anchor.height : anchor.top - height;
  const endAligned = anchor.left + anchor.width - size.width;
  const left = Math.max(margin, Math.min(endAligned, viewport.width - margin - size.width));
  return { top, left, maxHeight: size.height > room ? Math.max(room, 0) : null, side };
}

/**
 * Keeps the element it is on (a popover) on screen beside `hbAnchoredTo` (the button that opened
 * it), by {@link placePopover}: fixed to the viewport, so no scrolling ancestor clips it, and
 * placed again when anything scrolls, the window resizes or the popover's own size changes.
 */
@Directive({ selector: '[hbAnchoredTo]' })
export class AnchoredTo {
  readonly hbAnchoredTo = input.required<HTMLElement>();
  private readonly element = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const place = (): void => this.place();
      place();
      // jsdom (unit tests) has no ResizeObserver.
      const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(place);
      resized?.observe(this.element);
      window.addEventListener('scroll', place, { capture: true, passive: true });
      window.addEventListener('resize', place, { passive: true });
      destroyRef.onDestroy(() => {
        resized?.disconnect();
        window.removeEventListener('scroll', place, { capture: true });
        window.removeEventListener('resize', place);
      });
    });
  }

  private place(): void {
    const style = this.element.style;
    style.position = 'fixed';
    style.maxHeight = '';
    style.overflowY = '';
    // Measured where it is, at its natural size; then moved in the same frame, before it is painted.
    const { width, height } = this.element.getBoundingClientRect();
    const anchor = this.hbAnchoredTo().getBoundingClientRect();
    const viewport = document.documentElement;
    const placed = placePopover(anchor, { width, height }, { width: viewport.clientWidth, height: window.innerHeight });
    style.top = `${placed.top}px`;
    style.left = `${placed.left}px`;
    style.right = 'auto';
    style.bottom = 'auto';
    if (placed.maxHeight !== null) {
      style.maxHeight = `${placed.maxHeight}px`;
      style.overflowY = 'auto';
    }
    this.element.dataset['side'] = placed.side;
  }
}

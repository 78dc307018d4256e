/**
 * The message list is one Tab stop (as the ARIA feed pattern has it): one message at a time is
 * tabbable, the arrow keys move between messages, and Tab goes through the controls of the
 * focused message only, then leaves the list. These are the DOM walks behind that.
 */

const MESSAGE = '[data-message-id]';
const FOCUSABLE = 'a[href], button, input, textarea, select, summary, [tabindex]';

/** The message a key was pressed on, and where the arrow keys send the focus from it (null: the key is not ours). */
export function messageAfterKey(event: KeyboardEvent, scroller: HTMLElement): HTMLElement | null {
  const item = event.target as HTMLElement;
  if (!item.matches(MESSAGE) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const items = Array.from(scroller.querySelectorAll<HTMLElement>(MESSAGE));
  const index = items.indexOf(item);
  const to: Record<string, number> = {
    ArrowUp: index - 1,
    PageUp: index - 1,
    ArrowDown: index + 1,
    PageDown: index + 1,
    Home: 0,
    End: items.length - 1,
  };
  return event.key in to ? (items[to[event.key]] ?? null) : null;
}

/**
 * Where Tab (or Shift+Tab, `direction` -1) goes from `from`, inside the list: the next control of
 * the same message, else the first tabbable element outside the list. Controls of other messages
 * are skipped. Null when nothing follows (the browser then leaves the page as usual).
 */
export function tabTarget(from: HTMLElement, direction: 1 | -1, scroller: HTMLElement): HTMLElement | null {
  const own = from.closest<HTMLElement>(MESSAGE);
  const candidates = Array.from(document.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((element) => {
    if (!isTabbable(element) || element === from) return false;
    if (!scroller.contains(element)) return true;
    const message = element.closest<HTMLElement>(MESSAGE);
    // Inside the list: the focused message's controls, and what is not in any message (Load older).
    return message === null ? element !== scroller : message === own;
  });
  const follows = (element: HTMLElement): boolean =>
    (from.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  return direction === 1
    ? (candidates.find(follows) ?? null)
    : (candidates.findLast((element) => !follows(element)) ?? null);
}

function isTabbable(element: HTMLElement): boolean {
  if (element.tabIndex < 0 || (element as HTMLButtonElement).disabled) return false;
  if (element.closest('[inert], dialog:not([open])')) return false;
  return element.getClientRects().length > 0;
}

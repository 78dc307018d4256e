import { TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';

import { Composer } from '../conversation/composer';
import { MentionCombobox } from './mention-combobox';

const options = [
  { id: 'u-ann', name: 'Ann' },
  { id: 'u-andy', name: 'Andy' },
  { id: 'u-ben', name: 'Ben' },
  { id: 'room', name: 'room', room: true },
];

async function render() {
  const fixture = TestBed.createComponent(Composer);
  fixture.componentRef.setInput('mentionOptions', options);
  fixture.componentRef.setInput('replyingTo', { sender: 'Ben', excerpt: 'x' });
  const sent: string[] = [];
  let cancelled = 0;
  fixture.componentInstance.send.subscribe(({ text }) => sent.push(text));
  fixture.componentInstance.cancelReply.subscribe(() => cancelled++);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const box = element.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
  const type = async (text: string, caret = text.length) => {
    box.value = text;
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  /** A key pressed and let go; jsdom moves no caret, so a caret key is given where it lands. */
  const press = async (key: string, caretTo?: number) => {
    const event = new KeyboardEvent('keydown', { key, cancelable: true, bubbles: true });
    box.dispatchEvent(event);
    if (!event.defaultPrevented && caretTo !== undefined) box.setSelectionRange(caretTo, caretTo);
    box.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true }));
    await fixture.whenStable();
    return event;
  };
  const shown = () =>
    // What each option says (beside the person's face, whose initials screen readers do not hear).
    Array.from(element.querySelectorAll<HTMLElement>('[role="option"]')).map((o) =>
      [...o.childNodes]
        .filter((node) => node.nodeName !== 'HB-AVATAR' && node.nodeType !== Node.COMMENT_NODE)
        .map((node) => node.textContent)
        .join('')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  return { fixture, element, box, sent, cancelled: () => cancelled, type, press, shown };
}

describe('the composer’s @ combobox', () => {
  it('is a combobox that opens on @ at the start of a word, filtered as you type', async () => {
    const { box, type, shown, element } = await render();
    expect(box.getAttribute('role')).toBe('combobox');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await type('mail@a');
    expect(shown()).toEqual([]);
    await type('hi @an');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(shown()).toEqual(['@Andy', '@Ann']);
    const listbox = element.querySelector('[role="listbox"]')!;
    expect(box.getAttribute('aria-controls')).toBe(listbox.id);
    expect(box.getAttribute('aria-activedescendant')).toBe(listbox.querySelector('[role="option"]')!.id);
    await type('hi @');
    expect(shown()).toEqual(['@Andy', '@Ann', '@Ben', '@room everyone in this room']);
    await type('hi @zz');
    expect(box.getAttribute('aria-expanded')).toBe('false');
  });

  it('tells the page each new @ word, so people beyond the options can be looked up', async () => {
    const { fixture, type } = await render();
    const searched: string[] = [];
    fixture.componentInstance.mentionSearch.subscribe((query) => searched.push(query));
    await type('hi @');
    await type('hi @z');
    await type('hi @zo');
    await type('hi @zo');
    await type('hi @zo\nthere');
    await type('mail@x');
    expect(searched).toEqual(['', 'z', 'zo']);
  });

  it('moves with Up and Down (wrapping), inserts with Enter or Tab, and does not send meanwhile', async () => {
    const { box, type, press, sent, element } = await render();
    await type('hi @an');
    await press('ArrowDown');
    let active = box.getAttribute('aria-activedescendant')!;
    expect(element.querySelector(`[id="${active}"] bdi`)?.textContent?.trim()).toBe('@Ann');
    expect(element.querySelector(`[id="${active}"] hb-avatar`)).not.toBeNull();
    expect(element.querySelector(`[id="${active}"]`)?.getAttribute('aria-selected')).toBe('true');
    const enter = await press('Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(sent).toEqual([]);
    expect(box.value).toBe('hi @Ann ');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await type('hi @Ann and @b');
    await press('ArrowUp');
    // Up from the first wraps to the last: only Ben matches @b, so it stays on Ben.
    active = box.getAttribute('aria-activedescendant')!;
    expect(element.querySelector(`[id="${active}"] bdi`)?.textContent?.trim()).toBe('@Ben');
    await press('Tab');
    expect(box.value).toBe('hi @Ann and @Ben ');
    await press('Enter');
    expect(sent).toEqual(['hi @Ann and @Ben']);
  });

  it('closes on Escape without dropping the reply; a second Escape drops it', async () => {
    const { box, type, press, cancelled } = await render();
    await type('@a');
    await press('Escape');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(cancelled()).toBe(0);
    await press('Escape');
    expect(cancelled()).toBe(1);
  });

  it('closes when Home moves the caret out of the @word, so Enter then sends the text as it is', async () => {
    const { box, type, press, sent } = await render();
    await type('hi @an');
    await press('Home', 0);
    expect(box.getAttribute('aria-expanded')).toBe('false');
    const enter = await press('Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(box.value).toBe('');
    expect(sent).toEqual(['hi @an']);
  });

  it('refuses a choice once the caret has left the @word, even before the move was read', async () => {
    const { box, type, sent, element, fixture } = await render();
    await type('hi @an');
    // Home moved the caret; Enter comes before its keyup (a fast typist, or a key held down).
    box.setSelectionRange(0, 0);
    const enter = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true, bubbles: true });
    box.dispatchEvent(enter);
    await fixture.whenStable();
    expect(box.value).toBe('hi @an');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    // The Enter was the list's (it showed): it neither picks nor sends.
    expect(enter.defaultPrevented).toBe(true);
    expect(sent).toEqual([]);
    // A click on an option of a list that is out of date is refused the same way.
    await type('hi @an there', 6);
    const option = element.querySelector<HTMLElement>('[role="option"]')!;
    box.setSelectionRange(12, 12);
    option.click();
    await fixture.whenStable();
    expect(box.value).toBe('hi @an there');
    expect(box.getAttribute('aria-expanded')).toBe('false');
  });

  it('reads the @word again as Left and Right move the caret: out closes, back in opens', async () => {
    const { box, type, press, shown } = await render();
    await type('hi @an, ok', 6);
    expect(shown()).toEqual(['@Andy', '@Ann']);
    await press('ArrowRight', 7);
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await press('ArrowLeft', 6);
    expect(shown()).toEqual(['@Andy', '@Ann']);
    await press('ArrowLeft', 3);
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await press('End', 10);
    expect(box.getAttribute('aria-expanded')).toBe('false');
  });

  it('says which option was picked, as names are not unique', async () => {
    const { fixture, type, press, box } = await render();
    fixture.componentRef.setInput('mentionOptions', [
      { id: 'u-ann-1', name: 'Ann' },
      { id: 'u-ann-2', name: 'Ann' },
    ]);
    const chosen: { id: string; at: number }[] = [];
    const directive = fixture.debugElement.query(By.directive(MentionCombobox)).injector.get(MentionCombobox);
    directive.mentionChosen.subscribe(({ option, at }) => chosen.push({ id: option.id, at }));
    await type('hi @an');
    await press('ArrowDown');
    await press('Enter');
    expect(box.value).toBe('hi @Ann ');
    expect(chosen).toEqual([{ id: 'u-ann-2', at: 3 }]);
  });

  it('takes a click on an option without taking the focus from the text', async () => {
    const { box, type, element, fixture } = await render();
    await type('@b');
    const option = element.querySelector<HTMLElement>('[role="option"]')!;
    const down = new MouseEvent('mousedown', { cancelable: true, bubbles: true });
    option.dispatchEvent(down);
    expect(down.defaultPrevented).toBe(true);
    option.click();
    await fixture.whenStable();
    expect(box.value).toBe('@Ben ');
  });
  it('opens below the box when there is too little room above it to show the list whole', async () => {
    const { element, type, fixture } = await render();
    const listbox = element.querySelector<HTMLElement>('hb-mention-listbox')!;
    jest.spyOn(listbox, 'offsetHeight', 'get').mockReturnValue(200);
    const anchor = jest.spyOn(listbox.parentElement!, 'getBoundingClientRect');
    anchor.mockReturnValue({ top: 120 } as DOMRect);
    await type('hi @');
    await fixture.whenStable();
    expect(listbox.classList).toContain('below');
    await type('hi');
    anchor.mockReturnValue({ top: 600 } as DOMRect);
    await type('hi @');
    await fixture.whenStable();
    expect(listbox.classList).not.toContain('below');
  });
});

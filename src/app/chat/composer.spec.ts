import { TestBed } from '@angular/core/testing';

import { Composer } from './composer';

async function render(error: string | null = null) {
  const fixture = TestBed.createComponent(Composer);
  fixture.componentRef.setInput('error', error);
  const sent: string[] = [];
  let typing = 0;
  fixture.componentInstance.send.subscribe((text) => sent.push(text));
  fixture.componentInstance.typing.subscribe(() => typing++);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const box = element.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
  const type = async (text: string) => {
    box.value = text;
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  const press = async (init: KeyboardEventInit) => {
    const event = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true, ...init });
    box.dispatchEvent(event);
    await fixture.whenStable();
    return event;
  };
  return { fixture, element, box, sent, typed: () => typing, type, press };
}

describe('Composer', () => {
  it('sends on Enter, trimmed, and clears the box', async () => {
    const { box, sent, type, press } = await render();
    await type('  hello there  ');
    const event = await press({});
    expect(sent).toEqual(['hello there']);
    expect(event.defaultPrevented).toBe(true);
    expect(box.value).toBe('');
  });

  it('keeps the text but sends nothing while busy (a direct message is still opening), then sends', async () => {
    const { fixture, box, sent, type, press } = await render();
    fixture.componentRef.setInput('busy', true);
    await fixture.whenStable();
    await type('for Ben only');
    await press({});
    expect(sent).toEqual([]);
    expect(box.readOnly).toBe(true);
    expect(box.getAttribute('aria-busy')).toBe('true');
    fixture.componentRef.setInput('busy', false);
    await fixture.whenStable();
    await press({});
    expect(sent).toEqual(['for Ben only']);
  });

  it('keeps Shift+Enter for a new line', async () => {
    const { sent, type, press } = await render();
    await type('line one');
    const event = await press({ shiftKey: true });
    expect(sent).toEqual([]);
    expect(event.defaultPrevented).toBe(false);
  });

  it('sends with the button, never sends blank text, and reports typing', async () => {
    const { element, sent, type, typed } = await render();
    const button = element.querySelector<HTMLButtonElement>('[data-testid="composer-send"]')!;
    await type('   ');
    expect(button.disabled).toBe(true);
    await type('hi');
    button.click();
    expect(sent).toEqual(['hi']);
    expect(typed()).toBe(1);
  });

  it('shows an error where the user is typing', async () => {
    const { element } = await render("You're sending too fast — try again in 3 s");
    expect(element.querySelector('[data-testid="composer-error"]')?.textContent).toContain('try again in 3 s');
  });

  it('asks to edit the last message on Up in an empty box, and shows and drops the reply being written', async () => {
    const { fixture, element, box, type } = await render();
    let edits = 0;
    let cancelled = 0;
    fixture.componentInstance.editLast.subscribe(() => edits++);
    fixture.componentInstance.cancelReply.subscribe(() => cancelled++);
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', cancelable: true }));
    await type('draft');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', cancelable: true }));
    expect(edits).toBe(1);
    fixture.componentRef.setInput('replyingTo', { sender: 'Ben', excerpt: 'the question' });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="composer-reply"]')?.textContent).toContain('Replying to Ben');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true }));
    element.querySelector<HTMLButtonElement>('[data-testid="cancel-reply"]')!.click();
    expect(cancelled).toBe(2);
  });
});

import { TestBed } from '@angular/core/testing';

import type { User } from '../../../contract';
import { NewGroupDialog } from './new-group-dialog';

const people: User[] = ['Ben', 'Cat', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal', 'Ivy'].map((name, i) => ({
  id: `u-${name.toLowerCase()}`,
  name,
  online: i % 2 === 0,
}));

// jsdom has no modal dialogs: enough of one to open and close.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
});

async function render() {
  const fixture = TestBed.createComponent(NewGroupDialog);
  fixture.componentRef.setInput('people', people);
  fixture.componentRef.setInput('most', 7);
  const submitted: (readonly string[])[] = [];
  const events: string[] = [];
  fixture.componentInstance.submitted.subscribe((ids) => submitted.push(ids));
  fixture.componentInstance.started.subscribe(() => events.push('started'));
  fixture.componentInstance.closed.subscribe(() => events.push('closed'));
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const dialog = element.querySelector('dialog')!;
  const box = (name: string) =>
    [...element.querySelectorAll<HTMLInputElement>('[data-testid="new-group-person"]')].find(
      (input) => input.closest('label')?.querySelector('.name')?.textContent === name,
    );
  const choose = async (...names: string[]) => {
    for (const name of names) {
      box(name)!.click();
      await fixture.whenStable();
    }
  };
  const start = async () => {
    element.querySelector<HTMLButtonElement>('[data-testid="new-group-start"]')!.click();
    await fixture.whenStable();
  };
  const answer = async (opening: boolean, error: string | null) => {
    fixture.componentRef.setInput('opening', opening);
    fixture.componentRef.setInput('error', error);
    await fixture.whenStable();
  };
  const text = (testId: string) =>
    element.querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/\s+/g, ' ').trim();
  return { fixture, element, dialog, submitted, events, box, choose, start, answer, text };
}

describe('NewGroupDialog', () => {
  it('opens modal with the focus in its filter, listing the people as labelled checkboxes', async () => {
    const { element, dialog, box } = await render();
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(dialog.getAttribute('aria-labelledby')).toBe('new-group-heading');
    expect(document.activeElement).toBe(element.querySelector('[data-testid="new-group-filter"]'));
    expect(element.querySelector('legend')?.textContent?.trim()).toBe('Choose 2 to 7 people');
    expect(element.querySelectorAll('[data-testid="new-group-person"]')).toHaveLength(8);
    expect(box('Ben')?.closest('label')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Ben (online)');
  });

  it('asks for two people at least, stops at seven, and the filter keeps the chosen', async () => {
    const { fixture, element, box, choose, start, submitted, text } = await render();
    await choose('Ben');
    expect(text('new-group-count')).toBe('1 chosen: Ben.');
    await start();
    expect(text('new-group-error')).toBe('Choose at least 2 people: a group conversation is you and 2 to 7 others.');
    expect(submitted).toEqual([]);
    await choose('Cat', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal');
    expect(text('new-group-count')).toBe(
      '7 chosen: Ben, Cat, Dan, Eve, Fay, Gus, Hal. That is the most: 7 people and you.',
    );
    expect(box('Ivy')?.disabled).toBe(true);
    await choose('Hal');
    expect(box('Ivy')?.disabled).toBe(false);
    const filter = element.querySelector<HTMLInputElement>('[data-testid="new-group-filter"]')!;
    filter.value = 'iv';
    filter.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    const listed = [...element.querySelectorAll('.name')].map((name) => name.textContent);
    expect(listed).toEqual(['Ben', 'Cat', 'Dan', 'Eve', 'Fay', 'Gus', 'Ivy']);
  });

  it('stays open with the refusal until the server has the group, then closes', async () => {
    const { dialog, choose, start, answer, submitted, events, text, element } = await render();
    await choose('Cat', 'Ben');
    await start();
    expect(submitted).toEqual([['u-cat', 'u-ben']]);
    expect(element.querySelector<HTMLButtonElement>('[data-testid="new-group-start"]')!.disabled).toBe(true);
    await answer(true, null);
    await answer(false, 'No such person');
    expect(text('new-group-error')).toBe('No such person');
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(events).toEqual([]);
    await start();
    await answer(true, null);
    await answer(false, null);
    expect(dialog.hasAttribute('open')).toBe(false);
    // (A browser fires "close" a task later; the stand-in above fires it at once.)
    expect([...events].sort()).toEqual(['closed', 'started']);
  });
});

import { TestBed } from '@angular/core/testing';

import { EmojiShortcodes } from '../formatting/emoji-shortcodes';
import { matchShortcodes } from '../formatting/shortcode-combobox';
import { type ComposedMessage, Composer } from './composer';

async function render(error: string | null = null) {
  const fixture = TestBed.createComponent(Composer);
  fixture.componentRef.setInput('error', error);
  const sent: string[] = [];
  const composed: ComposedMessage[] = [];
  let typing = 0;
  fixture.componentInstance.send.subscribe((message) => {
    sent.push(message.text);
    composed.push(message);
  });
  fixture.componentInstance.typing.subscribe(() => typing++);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const box = element.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
  /** Sets the text as one edit leaves it, the caret where the edit ended (the end, unless told). */
  const type = async (text: string, caret = text.length) => {
    box.value = text;
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  const press = async (init: KeyboardEventInit) => {
    const event = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true, ...init });
    box.dispatchEvent(event);
    await fixture.whenStable();
    return event;
  };
  return { fixture, element, box, sent, composed, typed: () => typing, type, press };
}

describe('Composer', () => {
  it('says under the box why @room notifies nobody where it does not, as soon as the text says @room', async () => {
    const { fixture, element, box, type } = await render();
    fixture.componentRef.setInput('roomMentionNote', '@room notifies nobody in #general');
    await type('lunch @roomy');
    expect(element.querySelector('[data-testid="room-mention-note"]')).toBeNull();
    await type('lunch @room?');
    const note = element.querySelector('[data-testid="room-mention-note"]')!;
    expect(note.textContent).toBe('@room notifies nobody in #general');
    expect(note.getAttribute('role')).toBe('status');
    expect(box.getAttribute('aria-describedby')).toBe(note.id);
    fixture.componentRef.setInput('roomMentionNote', null);
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="room-mention-note"]')).toBeNull();
    expect(box.getAttribute('aria-describedby')).toBeNull();
  });

  it('completes :shortcodes as they are typed (a combobox: Enter puts the emoji in, and sends nothing)', async () => {
    await TestBed.inject(EmojiShortcodes).load();
    const { element, box, sent, type, press } = await render();
    await type('it is on :fir');
    const options = Array.from(element.querySelectorAll('[data-testid="shortcode-option"]'));
    expect(options[0]?.textContent).toContain(':fire:');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0].id);
    await press({ key: 'ArrowDown' });
    await press({ key: 'ArrowUp' });
    await press({});
    expect(box.value).toBe('it is on 🔥 ');
    expect(sent).toEqual([]);
    expect(box.getAttribute('aria-expanded')).toBe('false');
    // A time or a single letter after ":" lists nothing.
    await type('at 12:30 :p');
    expect(element.querySelector('[data-testid="shortcode-listbox"]')).toBeNull();
  });

  it('lists names starting with what was typed first, then names containing it, eight at most', () => {
    const entries: [string, string][] = [
      ['bonfire', 'b'],
      ['fire', 'f'],
      ['fire_engine', 'e'],
      ...Array.from({ length: 20 }, (_, i): [string, string] => [`x_fire_${i}`, 'x']),
    ];
    const names = matchShortcodes(entries, 'fire').map((option) => option.name);
    expect(names.slice(0, 3)).toEqual(['fire', 'fire_engine', 'bonfire']);
    expect(names).toHaveLength(8);
  });

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

describe('Composer: people picked from the @ list', () => {
  const twins = [
    { id: 'u-ann-1', name: 'Ann' },
    { id: 'u-ann-2', name: 'Ann' },
  ];

  async function renderWithTwins() {
    const rendered = await render();
    rendered.fixture.componentRef.setInput('mentionOptions', twins);
    rendered.fixture.componentRef.setInput('draft', { room: 'team', text: '' });
    await rendered.fixture.whenStable();
    const pick = async (typed: string, downs: number) => {
      await rendered.type(typed);
      for (let i = 0; i < downs; i++) await rendered.press({ key: 'ArrowDown' });
      await rendered.press({ key: 'Enter' });
    };
    return { ...rendered, pick };
  }

  it('sends whom was picked and where, moved by later edits, trimmed with the text, then forgets them', async () => {
    const { box, composed, type, press, pick } = await renderWithTwins();
    await pick('  @an', 1);
    expect(box.value).toBe('  @Ann ');
    await type('  @Ann and @a');
    // The list is open on the first Ann: Enter picks her.
    await press({ key: 'Enter' });
    // Typed before the first pick: it moves along.
    await type('  hi @Ann and @Ann ', 5);
    await press({ key: 'Enter' });
    expect(composed).toEqual([
      {
        text: 'hi @Ann and @Ann',
        mentions: [
          { id: 'u-ann-2', name: 'Ann', at: 3 },
          { id: 'u-ann-1', name: 'Ann', at: 12 },
        ],
      },
    ]);
    await type('@Ann again, by hand');
    await press({ key: 'Enter' });
    expect(composed[1]).toEqual({ text: '@Ann again, by hand', mentions: [] });
  });

  it('drops a pick whose @Name is deleted from the draft, even where the same name is picked twice', async () => {
    const { composed, type, press, pick } = await renderWithTwins();
    await pick('@a', 0);
    await type('@Ann @a');
    await press({ key: 'ArrowDown' });
    await press({ key: 'Enter' });
    // The first "@Ann " goes (the caret at the start): the second pick is the one left.
    await type('@Ann ', 0);
    await press({ key: 'Enter' });
    expect(composed).toEqual([{ text: '@Ann', mentions: [{ id: 'u-ann-2', name: 'Ann', at: 0 }] }]);
  });

  it('keeps each room’s picks with its draft when switching rooms', async () => {
    const { fixture, box, composed, press, pick } = await renderWithTwins();
    await pick('@a', 1);
    fixture.componentRef.setInput('draft', { room: 'general', text: '' });
    await fixture.whenStable();
    expect(box.value).toBe('');
    fixture.componentRef.setInput('draft', { room: 'team', text: '@Ann ' });
    await fixture.whenStable();
    await press({ key: 'Enter' });
    expect(composed).toEqual([{ text: '@Ann', mentions: [{ id: 'u-ann-2', name: 'Ann', at: 0 }] }]);
  });
});

import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';

import { sessionFeature } from '../auth/session.feature';
import { selectMentionNames, selectMentionOptions } from '../mentions/mention.selectors';
import { chatSelectors } from '../messages/chat.selectors';
import type { ChatMessage } from '../messages/chat-message';
import { ChatPageActions } from '../messages/chat-page.actions';
import { selectMayModerate } from '../rooms/rooms.selectors';
import { MessageList, WINDOW_SIZE } from './message-list';
import { ReplyingTo } from './replying-to';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };

function messages(count: number, status: ChatMessage['status'] = 'sent'): ChatMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    room: 'general',
    text: `message ${i}`,
    sender: i % 2 ? ann : ben,
    sentAt: new Date(Date.UTC(2026, 0, 1, 10, 0, i)).toISOString(),
    status,
  }));
}

async function render(list: readonly ChatMessage[], inputs: Record<string, unknown> = {}) {
  // Each row reads who is signed in and the room's names from the store, and dispatches what is done to it.
  TestBed.configureTestingModule({
    providers: [
      ReplyingTo,
      provideMockStore({
        selectors: [
          { selector: sessionFeature.selectUser, value: ann },
          { selector: selectMentionNames, value: {} },
          { selector: selectMentionOptions, value: [] },
          { selector: chatSelectors.selectChangeError, value: null },
          { selector: selectMayModerate, value: false },
        ],
      }),
    ],
  });
  const dispatched: { type: string }[] = [];
  TestBed.inject(MockStore).scannedActions$.subscribe((action) => dispatched.push(action));
  const fixture = TestBed.createComponent(MessageList);
  fixture.componentRef.setInput('messages', list);
  fixture.componentRef.setInput('selfId', ann.id);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  return {
    fixture,
    element,
    dispatched,
    items: () => Array.from(element.querySelectorAll<HTMLElement>('[data-testid="message"]')),
  };
}

describe('MessageList', () => {
  it('leaves keys and pointers to the page (Space must still press buttons and tick checkboxes)', async () => {
    await render([]);
    const keyup = new KeyboardEvent('keyup', { key: ' ', bubbles: true, cancelable: true });
    const pointerdown = new Event('pointerdown', { bubbles: true, cancelable: true });
    document.body.dispatchEvent(keyup);
    document.body.dispatchEvent(pointerdown);
    expect([keyup.defaultPrevented, pointerdown.defaultPrevented]).toEqual([false, false]);
  });

  it('is a polite log showing sender, time and text', async () => {
    const { element, items } = await render(messages(2));
    const log = element.querySelector('[data-testid="message-list"]')!;
    expect(log.getAttribute('role')).toBe('log');
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(items().map((item) => item.querySelector('[data-testid="message-sender"]')?.textContent)).toEqual([
      'Ben',
      'Ann',
    ]);
    expect(items()[0]?.getAttribute('data-message-id')).toBe('m0');
    expect(items()[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-01T10:00:00.000Z');
  });

  it('shows markup in a message as text, never as HTML', async () => {
    const hostile = { ...messages(1)[0], text: '<img src=x onerror="alert(1)"> <b>bold</b>' };
    const { items } = await render([hostile]);
    const text = items()[0].querySelector('[data-testid="message-text"]')!;
    expect(text.textContent).toBe('<img src=x onerror="alert(1)"> <b>bold</b>');
    expect(text.querySelector('img, b')).toBeNull();
  });

  it('marks pending and failed messages, and offers Retry on a failed one', async () => {
    const [pending, failed] = [messages(1, 'pending')[0], { ...messages(2, 'failed')[1] }];
    const { items, dispatched } = await render([pending, failed]);
    expect(items().map((item) => item.dataset['status'])).toEqual(['pending', 'failed']);
    expect(items()[0].querySelector('[data-testid="message-pending"]')).not.toBeNull();
    items()[1].querySelector<HTMLButtonElement>('[data-testid="message-retry"]')!.click();
    expect(dispatched.filter((action) => action.type === ChatPageActions.retryClicked.type)).toEqual([
      ChatPageActions.retryClicked({ message: failed }),
    ]);
  });

  it('keeps the DOM bounded in a room of 10,000 messages, showing the newest', async () => {
    const { items } = await render(messages(10_000));
    expect(items()).toHaveLength(WINDOW_SIZE);
    expect(items().at(-1)?.dataset['messageId']).toBe('m9999');
  });

  it('moves the window back when the reader scrolls to the top, and asks for older pages at the oldest one', async () => {
    const { fixture, element, items } = await render(messages(400), { hasMore: true });
    const older: unknown[] = [];
    fixture.componentInstance.loadOlder.subscribe(() => older.push(true));
    const scroller = element.querySelector<HTMLElement>('[data-testid="message-list"]')!;
    const scrollToTop = async () => {
      scroller.scrollTop = 0;
      scroller.dispatchEvent(new Event('scroll'));
      await fixture.whenStable();
    };
    await scrollToTop();
    expect(items()).toHaveLength(WINDOW_SIZE);
    expect(items()[0]?.dataset['messageId']).toBe('m200');
    for (let i = 0; i < 5; i++) await scrollToTop();
    expect(items()[0]?.dataset['messageId']).toBe('m0');
    expect(older.length).toBeGreaterThan(0);
    expect(element.querySelector('[data-testid="load-older"]')).not.toBeNull();
    expect(element.querySelector('[data-testid="jump-latest"]')).not.toBeNull();

    element.querySelector<HTMLButtonElement>('[data-testid="jump-latest"]')!.click();
    await fixture.whenStable();
    expect(items().at(-1)?.dataset['messageId']).toBe('m399');
    // Seven renders of a 200-message window in jsdom: seconds on a busy 2-core machine.
  }, 30_000);

  it('while the reader is back in history, counts others’ new messages on the button, and brings them down to their own send', async () => {
    const list = messages(400);
    const { fixture, element, items } = await render(list, { room: 'general' });
    const scroller = element.querySelector<HTMLElement>('[data-testid="message-list"]')!;
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new Event('scroll'));
    await fixture.whenStable();
    expect(items().at(-1)?.dataset['messageId']).not.toBe('m399');
    const jump = () => element.querySelector<HTMLButtonElement>('[data-testid="jump-latest"]');
    expect(jump()?.textContent?.trim()).toBe('Jump to latest ↓');

    const later = (i: number, sender = ben, status: ChatMessage['status'] = 'sent'): ChatMessage => ({
      id: `new${i}`,
      room: 'general',
      text: `new ${i}`,
      sender,
      sentAt: new Date(Date.UTC(2026, 0, 1, 11, 0, i)).toISOString(),
      status,
    });
    const withOthers = [...list, later(1), later(2)];
    fixture.componentRef.setInput('messages', withOthers);
    await fixture.whenStable();
    expect(jump()?.textContent?.trim()).toBe('2 new messages ↓');
    fixture.componentRef.setInput('messages', [...withOthers, later(3)]);
    await fixture.whenStable();
    expect(jump()?.textContent?.trim()).toBe('3 new messages ↓');

    // Their own send (pending): the list follows the newest again, whatever they were reading.
    fixture.componentRef.setInput('messages', [...withOthers, later(3), later(4, ann, 'pending')]);
    await fixture.whenStable();
    expect(items().at(-1)?.dataset['messageId']).toBe('new4');
    expect(jump()?.textContent?.trim() ?? '').not.toMatch(/new message/);
  });

  it('shows an older page as soon as it arrives, even for a reader who was following the newest messages', async () => {
    const all = messages(200);
    // The newest 150 are loaded and shown; the reader asks for the page before them.
    const { fixture, element, items } = await render(all.slice(50), { hasMore: true });
    fixture.componentInstance.loadOlder.subscribe(() => fixture.componentRef.setInput('messages', all));
    element.querySelector<HTMLButtonElement>('[data-testid="load-older"]')!.click();
    await fixture.whenStable();
    expect(items()).toHaveLength(WINDOW_SIZE);
    expect(items()[0]?.dataset['messageId']).toBe('m0');
  });

  it('puts a "new messages" divider before the first unread message from someone else', async () => {
    const list = messages(4);
    const { element } = await render(list, { readMarker: list[1].sentAt });
    const divider = element.querySelector('[data-testid="new-messages-divider"]');
    expect(divider?.nextElementSibling?.getAttribute('data-message-id')).toBe('m2');
  });
});

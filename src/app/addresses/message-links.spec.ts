import { TestBed } from '@angular/core/testing';
import { provideMockStore } from '@ngrx/store/testing';

import { sessionFeature } from '../auth/session.feature';
import { MessageList } from '../conversation/message-list';
import { ReplyingTo } from '../conversation/replying-to';
import { selectMentionNames, selectMentionOptions } from '../mentions/mention.selectors';
import { chatSelectors } from '../messages/chat.selectors';
import type { ChatMessage } from '../messages/chat-message';
import { selectMayModerate } from '../rooms/rooms.selectors';

const ben = { id: 'u-ben', name: 'Ben' };

function message(n: number): ChatMessage {
  const id = `m-${n}`;
  return {
    id,
    room: 'team',
    text: `text ${n}`,
    sender: ben,
    sentAt: new Date(Date.UTC(2026, 0, 1, 10, 0, n)).toISOString(),
    seq: n,
    status: 'sent',
  };
}

async function render(messages: readonly ChatMessage[]) {
  TestBed.configureTestingModule({
    providers: [
      ReplyingTo,
      provideMockStore({
        selectors: [
          { selector: sessionFeature.selectUser, value: { id: 'u-ann', name: 'Ann' } },
          { selector: selectMentionNames, value: {} },
          { selector: selectMentionOptions, value: [] },
          { selector: chatSelectors.selectChangeError, value: null },
          { selector: selectMayModerate, value: false },
        ],
      }),
    ],
  });
  const fixture = TestBed.createComponent(MessageList);
  fixture.componentRef.setInput('messages', messages);
  fixture.componentRef.setInput('room', 'team');
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const item = (id: string) => element.querySelector<HTMLElement>(`[data-message-id="${id}"]`);
  return { fixture, element, item, stable: () => fixture.whenStable() };
}

function useClipboard(writeText: (text: string) => Promise<void>): void {
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
}

afterEach(() => {
  Reflect.deleteProperty(navigator, 'clipboard');
});

describe('a message address in the list', () => {
  it('shows the linked message among a window of its neighbours, highlighted and focused, and keeps it there as newer ones arrive', async () => {
    const all = Array.from({ length: 220 }, (_, i) => message(i));
    const { fixture, item, stable } = await render(all);
    // Following the live end: the oldest messages are not in the DOM.
    expect(item('m-60')).toBeNull();
    const opening = { room: 'team', id: 'm-60', status: 'found' } as const;
    fixture.componentRef.setInput('linked', opening);
    await stable();
    expect(item('m-60')?.classList).toContain('highlight');
    expect(document.activeElement).toBe(item('m-60'));
    // Some context above it, and the window stays there while newer messages arrive.
    expect([item('m-34'), item('m-35')].map((row) => row !== null)).toEqual([false, true]);
    fixture.componentRef.setInput('messages', [...all, message(220)]);
    await stable();
    expect(item('m-60')).not.toBeNull();
    expect(item('m-220')).toBeNull();
  }, 30_000);
});

describe('Copy link', () => {
  async function copy(id: string) {
    const page = await render([message(1), message(2)]);
    const row = page.item(id)!;
    row.querySelector<HTMLButtonElement>('[data-testid="message-menu"]')!.click();
    await page.stable();
    row.querySelector<HTMLButtonElement>('[data-testid="menu-copy-link"]')!.click();
    // The clipboard answers asynchronously.
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await page.stable();
    return row.querySelector<HTMLElement>('[data-testid="link-notice"]');
  }

  it("writes the message's full address to the clipboard and says so", async () => {
    const written: string[] = [];
    useClipboard(async (text) => {
      written.push(text);
    });
    const notice = await copy('m-2');
    expect(written).toEqual([`${document.baseURI.replace(/\/$/, '')}/r/team/m/m-2`]);
    expect(notice?.getAttribute('role')).toBe('status');
    expect(notice?.textContent?.trim()).toBe('Link copied');
  });

  it('shows the link to copy by hand when the browser refuses', async () => {
    useClipboard(() => Promise.reject(new DOMException('Document is not focused', 'NotAllowedError')));
    const notice = await copy('m-1');
    expect(notice?.textContent).toContain("Couldn't copy");
    expect(notice?.textContent).toContain('/r/team/m/m-1');
  });
});

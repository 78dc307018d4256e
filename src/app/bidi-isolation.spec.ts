/**
 * Names and message text may hold right-to-left, override (U+202E) or zero-width characters. Each
 * is rendered inside an element of its own that isolates it (`<bdi>`, or `dir="auto"`, which the
 * HTML rendering rules give `unicode-bidi: isolate`), so it cannot reorder the text around it.
 */
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideMockStore } from '@ngrx/store/testing';

import type { Room, User } from '../../contract';
import { sessionFeature } from './auth/session.feature';
import { MessageList } from './conversation/message-list';
import { ReplyingTo } from './conversation/replying-to';
import { selectMentionNames, selectMentionOptions } from './mentions/mention.selectors';
import { chatSelectors } from './messages/chat.selectors';
import type { ChatMessage } from './messages/chat-message';
import { UserList } from './people/user-list';
import { selectMayModerate } from './rooms/rooms.selectors';
import { RoomSidebar } from './shell/room-sidebar';

const OVERRIDE = '\u202e';
const spoof = `evil${OVERRIDE}gpj.exe\u200b`;

/** True when `text` sits alone in an element that starts a new bidi isolate. */
function isolated(container: HTMLElement, text: string): boolean {
  const holder = Array.from(container.querySelectorAll<HTMLElement>('*')).find(
    (element) => element.textContent?.trim() === text && element.children.length === 0,
  );
  if (!holder) throw new Error(`"${text}" is not rendered on its own`);
  return holder.tagName === 'BDI' || holder.getAttribute('dir') === 'auto';
}

async function render<T>(component: Type<T>, inputs: Record<string, unknown>): Promise<HTMLElement> {
  const fixture = TestBed.createComponent(component);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

describe('bidi isolation of names and text', () => {
  it('isolates a message sender and a message text holding U+202E from the time and status beside them', async () => {
    const message: ChatMessage = {
      id: 'm1',
      room: 'general',
      text: `see ${spoof}`,
      sender: { id: 'u-x', name: spoof },
      sentAt: new Date(Date.UTC(2026, 0, 1, 10, 0, 0)).toISOString(),
      status: 'sent',
    };
    // A message row reads who is signed in and the room's names from the store.
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
    const element = await render(MessageList, { messages: [message], selfId: 'u-ann' });
    expect(isolated(element, spoof)).toBe(true);
    expect(isolated(element, `see ${spoof}`)).toBe(true);
    // The time is a sibling of the isolate, not inside it.
    const sender = element.querySelector('[data-testid="message-sender"]')!;
    expect(sender.contains(element.querySelector('time'))).toBe(false);
  });

  it('isolates people names in the people list', async () => {
    const users: User[] = [{ id: 'u-x', name: spoof, online: true }];
    const element = await render(UserList, { users });
    expect(isolated(element, spoof)).toBe(true);
  });

  it('isolates room titles, apart from their "#" prefix and unread badge', async () => {
    const rooms: Room[] = [{ name: 'r1', kind: 'room', title: spoof, joined: true }];
    const others: Room[] = [{ name: 'r2', kind: 'room', title: `x${OVERRIDE}y`, joined: false }];
    const element = await render(RoomSidebar, {
      rooms,
      directMessages: [],
      otherRooms: others,
      activeRoom: 'r1',
      unread: { r1: 3 },
    });
    expect(isolated(element, spoof)).toBe(true);
    expect(isolated(element, `x${OVERRIDE}y`)).toBe(true);
  });
});

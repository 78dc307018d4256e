import { TestBed } from '@angular/core/testing';
import type { Action } from '@ngrx/store';
import { MockStore, provideMockStore } from '@ngrx/store/testing';

import { sessionFeature } from '../auth/session.feature';
import { selectMentionNames, selectMentionOptions } from '../mentions/mention.selectors';
import { MessageMenuActions } from '../message-actions/message-actions.actions';
import { chatSelectors } from '../messages/chat.selectors';
import type { ChatMessage } from '../messages/chat-message';
import { selectBlockedIds } from '../people/blocks.feature';
import { selectMayModerate } from '../rooms/rooms.selectors';
import { MessageList } from './message-list';
import { ReplyingTo } from './replying-to';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };

function message(id: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    room: 'general',
    text: `text ${id}`,
    sender: ben,
    sentAt: `2026-01-01T10:00:0${id.length}Z`,
    seq: 1,
    status: 'sent',
    ...overrides,
  };
}

async function render(
  list: readonly ChatMessage[],
  { mayModerate = false, blocked = [] }: { mayModerate?: boolean; blocked?: readonly string[] } = {},
) {
  // Each row reads who is signed in, the room's names and its refusals from the store, and dispatches what is done to it.
  TestBed.configureTestingModule({
    providers: [
      ReplyingTo,
      provideMockStore({
        selectors: [
          { selector: sessionFeature.selectUser, value: ann },
          { selector: selectMentionNames, value: { 'u-ann': 'Ann', 'u-ben': 'Ben' } },
          { selector: selectMentionOptions, value: [] },
          { selector: chatSelectors.selectChangeError, value: null },
          { selector: selectMayModerate, value: mayModerate },
          { selector: selectBlockedIds, value: new Set(blocked) },
        ],
      }),
    ],
  });
  const store = TestBed.inject(MockStore);
  const dispatched: Action[] = [];
  store.scannedActions$.subscribe((action) => dispatched.push(action));
  const fixture = TestBed.createComponent(MessageList);
  fixture.componentRef.setInput('messages', list);
  fixture.componentRef.setInput('selfId', ann.id);
  fixture.componentRef.setInput('room', 'general');
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const item = (id: string) => element.querySelector<HTMLElement>(`[data-message-id="${id}"]`)!;
  const within = <T extends HTMLElement = HTMLElement>(id: string, testId: string) =>
    item(id).querySelector<T>(`[data-testid="${testId}"]`);
  const of = (type: string) => dispatched.filter((action) => action.type === type);
  const events = {
    edits: () => of(MessageMenuActions.editSaved.type),
    removed: () => of(MessageMenuActions.deleteConfirmed.type),
    reactions: () => of(MessageMenuActions.reactionToggled.type),
    finds: [] as string[],
  };
  fixture.componentInstance.findMessage.subscribe((id) => events.finds.push(id));
  const stable = () => fixture.whenStable();
  return { fixture, element, item, within, events, stable, store };
}

describe('MessageList: message actions', () => {
  it('offers a menu button with menu semantics; Escape closes it and returns focus to the button', async () => {
    const { within, item, stable } = await render([message('a', { sender: ann }), message('b')]);
    const trigger = within<HTMLButtonElement>('a', 'message-menu')!;
    expect(trigger.getAttribute('aria-haspopup')).toBe('menu');
    expect(trigger.getAttribute('aria-expanded')).toBe('false');
    trigger.click();
    await stable();
    expect(trigger.getAttribute('aria-expanded')).toBe('true');
    const menu = item('a').querySelector<HTMLElement>('[role="menu"]')!;
    expect(menu.id).toBe(trigger.getAttribute('aria-controls'));
    expect(Array.from(menu.querySelectorAll('[role="menuitem"]')).map((i) => i.textContent?.trim())).toEqual([
      '👍',
      '❤️',
      '😂',
      '🎉',
      '😮',
      '😢',
      'Other reaction…',
      'Reply',
      'Mark as unread',
      'Copy link',
      "Sender's profile",
      'Edit',
      'Delete',
    ]);
    expect(document.activeElement).toBe(menu.querySelector('[role="menuitem"]'));
    menu.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    await stable();
    expect(item('a').querySelector('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(trigger);
    // Someone else's message in a direct message: no edit, no delete.
    within<HTMLButtonElement>('b', 'message-menu')!.click();
    await stable();
    expect(within('b', 'menu-edit')).toBeNull();
    expect(within('b', 'menu-delete')).toBeNull();
  });

  it('edits inline: the saved text goes out, Escape cancels, and an empty text is refused like a new message', async () => {
    const own = message('a', { sender: ann });
    const { within, item, events, stable } = await render([own]);
    within<HTMLButtonElement>('a', 'message-menu')!.click();
    await stable();
    within<HTMLButtonElement>('a', 'menu-edit')!.click();
    await stable();
    const box = within<HTMLTextAreaElement>('a', 'edit-input')!;
    expect(box.value).toBe('text a');
    expect(document.activeElement).toBe(box);
    box.value = '   ';
    box.dispatchEvent(new Event('input'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    await stable();
    expect(within('a', 'edit-error')?.textContent).toContain('text must be 1-4000 characters');
    box.value = ' better text ';
    box.dispatchEvent(new Event('input'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    await stable();
    expect(events.edits()).toEqual([
      MessageMenuActions.editSaved({
        message: own,
        text: 'better text',
        mentions: [],
        mentionsRoom: false,
        revision: expect.any(Number),
        editedAt: expect.any(String),
      }),
    ]);
    expect(within('a', 'edit-input')).toBeNull();
    expect(document.activeElement).toBe(item('a'));

    within<HTMLButtonElement>('a', 'message-menu')!.click();
    await stable();
    within<HTMLButtonElement>('a', 'menu-edit')!.click();
    await stable();
    within('a', 'edit-input')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true }));
    await stable();
    expect(within('a', 'edit-input')).toBeNull();
    expect(events.edits()).toHaveLength(1);
  });

  it('asks before deleting, and lets a room owner try deleting anyone’s message', async () => {
    const other = message('b');
    const { within, events, stable } = await render([other], { mayModerate: true });
    within<HTMLButtonElement>('b', 'message-menu')!.click();
    await stable();
    within<HTMLButtonElement>('b', 'menu-delete')!.click();
    await stable();
    expect(within('b', 'confirm-delete')).not.toBeNull();
    expect(document.activeElement).toBe(within('b', 'cancel-delete'));
    within<HTMLButtonElement>('b', 'cancel-delete')!.click();
    await stable();
    expect(within('b', 'confirm-delete')).toBeNull();
    expect(events.removed()).toEqual([]);
    within<HTMLButtonElement>('b', 'message-menu')!.click();
    await stable();
    within<HTMLButtonElement>('b', 'menu-delete')!.click();
    await stable();
    within<HTMLButtonElement>('b', 'confirm-delete')!.click();
    expect(events.removed()).toEqual([MessageMenuActions.deleteConfirmed({ message: other, by: ann })]);
  });

  it('shows "message deleted" in place of a deleted message, with no actions, and an edited mark with its time', async () => {
    const { within } = await render([
      message('a', { text: '', deleted: true }),
      message('bb', { editedAt: '2026-01-01T10:05:00.000Z' }),
    ]);
    expect(within('a', 'message-deleted')?.textContent).toBe('message deleted');
    expect(within('a', 'message-text')).toBeNull();
    expect(within('a', 'message-menu')).toBeNull();
    const edited = within('bb', 'message-edited')!;
    expect(edited.textContent).toContain('edited');
    expect(edited.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-01T10:05:00.000Z');
  });

  it('hides the messages of someone blocked behind "Blocked message — show", one at a time', async () => {
    const { within, stable } = await render([message('a'), message('bb'), message('c', { sender: ann })], {
      blocked: [ben.id],
    });
    for (const id of ['a', 'bb']) {
      expect(within(id, 'message-blocked')?.textContent).toMatch(/Blocked message\s+—\s+show/);
      expect(within(id, 'message-text')).toBeNull();
    }
    expect(within('c', 'message-text')?.textContent).toContain('text c');
    within<HTMLButtonElement>('a', 'show-blocked')!.click();
    await stable();
    expect(within('a', 'message-text')?.textContent).toContain('text a');
    expect(within('bb', 'message-blocked')).not.toBeNull();
  });

  it('shows reactions as toggle buttons saying who reacted (a few by name, the rest counted), own ones pressed', async () => {
    const reacted = message('a', {
      reactions: [
        { emoji: '👍', count: 2, people: [ann, ben], mine: true },
        { emoji: '🎉', count: 1, people: [ben], mine: false },
        { emoji: '🚀', count: 44, people: [ben, { id: 'u-cy', name: 'Cy' }, { id: 'u-di', name: 'Di' }] },
        { emoji: '👀', count: 4, people: [ben, { id: 'u-cy', name: 'Cy' }, { id: 'u-di', name: 'Di' }] },
      ],
    });
    const { item, events } = await render([reacted]);
    const buttons = Array.from(item('a').querySelectorAll<HTMLButtonElement>('[data-testid="reaction"]'));
    expect(buttons.map((b) => [b.getAttribute('aria-label'), b.getAttribute('aria-pressed'), b.title])).toEqual([
      ['👍 2: Ann, Ben', 'true', '👍 2: Ann, Ben'],
      ['🎉 1: Ben', 'false', '🎉 1: Ben'],
      ['🚀 44: Ben, Cy, Di and 41 others', 'false', '🚀 44: Ben, Cy, Di and 41 others'],
      ['👀 4: Ben, Cy, Di and 1 other', 'false', '👀 4: Ben, Cy, Di and 1 other'],
    ]);
    expect(buttons.map((b) => b.querySelector('.count')?.textContent)).toEqual(['2', '1', '44', '4']);
    buttons[0].click();
    buttons[1].click();
    expect(events.reactions()).toEqual([
      MessageMenuActions.reactionToggled({ message: reacted, emoji: '👍', add: false, user: ann }),
      MessageMenuActions.reactionToggled({ message: reacted, emoji: '🎉', add: true, user: ann }),
    ]);
  });

  it('reacts from the palette, and opens the emoji picker for any other emoji', async () => {
    const target = message('a');
    const { within, events, stable } = await render([target]);
    within<HTMLButtonElement>('a', 'message-menu')!.click();
    await stable();
    within<HTMLButtonElement>('a', 'react-option')!.click();
    expect(events.reactions()).toEqual([
      MessageMenuActions.reactionToggled({ message: target, emoji: '👍', add: true, user: ann }),
    ]);
    // jsdom has no popovers: the picker's panel records being shown.
    const shown: Element[] = [];
    const proto = HTMLElement.prototype as { showPopover?: () => void };
    const saved = proto.showPopover;
    proto.showPopover = function (this: HTMLElement) {
      shown.push(this);
    };
    try {
      within<HTMLButtonElement>('a', 'message-menu')!.click();
      await stable();
      within<HTMLButtonElement>('a', 'react-other')!.click();
      await stable();
      expect(shown).toEqual([within('a', 'reaction-picker')]);
      expect(within('a', 'add-reaction')?.getAttribute('aria-label')).toBe('Add reaction');
    } finally {
      proto.showPopover = saved;
    }
  });

  it('quotes the original above a reply, says when it was deleted, and jumps to it or asks for it', async () => {
    const original = message('a', { text: 'the question' });
    const reply = message('bb', { sender: ann, replyTo: { id: 'a', sender: ben, excerpt: 'stale' } });
    const lost = message('ccc', { replyTo: { id: 'gone', sender: ann, excerpt: 'long ago' } });
    const orphan = message('dddd', { replyTo: { id: 'x', deleted: true } });
    const { within, item, element, events, stable, fixture } = await render([original, reply, lost, orphan]);
    const quote = within<HTMLButtonElement>('bb', 'reply-quote')!;
    expect(quote.textContent).toContain('Ben');
    expect(quote.textContent).toContain('the question');
    expect(quote.getAttribute('aria-label')).toBe('Reply to Ben: the question. Go to the original message');
    expect(within('dddd', 'reply-quote')?.textContent).toContain('Reply to a deleted message');
    quote.click();
    await stable();
    expect(document.activeElement).toBe(item('a'));
    expect(events.finds).toEqual([]);

    within<HTMLButtonElement>('ccc', 'reply-quote')!.click();
    expect(events.finds).toEqual(['gone']);
    fixture.componentRef.setInput('seek', { room: 'general', id: 'gone', status: 'loading' });
    await stable();
    expect(element.querySelector('[data-testid="seek-status"]')?.textContent).toContain('Finding');
    // The older page brings it: the list goes there.
    const found = message('', { id: 'gone', sentAt: '2026-01-01T09:00:00Z' });
    fixture.componentRef.setInput('messages', [found, original, reply, lost, orphan]);
    fixture.componentRef.setInput('seek', { room: 'general', id: 'gone', status: 'found' });
    await stable();
    expect(document.activeElement).toBe(item('gone'));
    fixture.componentRef.setInput('seek', { room: 'general', id: 'x', status: 'missing' });
    await stable();
    expect(element.querySelector('[data-testid="seek-status"]')?.textContent).toContain('no longer available');
  });

  it('edits the user’s newest message on request (Up in an empty composer), and shows a refusal on its message', async () => {
    const { fixture, within, stable, store } = await render([
      message('a', { sender: ann }),
      message('bb', { sender: ann, text: 'newest' }),
      message('ccc'),
    ]);
    const composer = document.body.appendChild(document.createElement('textarea'));
    composer.focus();
    expect(fixture.componentInstance.editLastOwn()).toBe(true);
    await stable();
    expect(within<HTMLTextAreaElement>('bb', 'edit-input')?.value).toBe('newest');
    expect(document.activeElement).toBe(within('bb', 'edit-input'));
    // Escape ends the edit, and the focus goes back to the box the Up came from.
    within('bb', 'edit-input')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await stable();
    expect(within('bb', 'edit-input')).toBeNull();
    expect(document.activeElement).toBe(composer);
    composer.remove();
    store.overrideSelector(chatSelectors.selectChangeError, { id: 'ccc', message: 'That message no longer exists' });
    store.refreshState();
    await stable();
    expect(within('ccc', 'message-error')?.getAttribute('role')).toBe('alert');
    expect(within('ccc', 'message-error')?.textContent).toContain('That message no longer exists');
  });
});

describe('MessageList: one Tab stop, arrow keys inside', () => {
  it('makes only the newest message tabbable, moves with the arrow keys, and keeps the one last focused as the stop', async () => {
    const { item, stable } = await render([message('a'), message('bb'), message('ccc')]);
    const tabbable = () => ['a', 'bb', 'ccc'].filter((id) => item(id).tabIndex === 0);
    expect(tabbable()).toEqual(['ccc']);
    const press = async (id: string, key: string) => {
      item(id).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      await stable();
    };
    item('ccc').focus();
    await press('ccc', 'ArrowUp');
    expect(document.activeElement).toBe(item('bb'));
    expect(tabbable()).toEqual(['bb']);
    await press('bb', 'Home');
    expect(document.activeElement).toBe(item('a'));
    await press('a', 'ArrowUp');
    expect(document.activeElement).toBe(item('a'));
    await press('a', 'End');
    expect(document.activeElement).toBe(item('ccc'));
    await press('ccc', 'ArrowDown');
    expect(document.activeElement).toBe(item('ccc'));
  });
});

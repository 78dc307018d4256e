import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';

import { AttachmentTrayActions } from '../attachments/attachments.actions';
import { attachmentsFeature, initialAttachmentsState } from '../attachments/attachments.feature';
import { sessionFeature } from '../auth/session.feature';
import { connectionFeature } from '../core/connection.feature';
import { ComposerDraftActions } from '../drafts/drafts.actions';
import { draftsFeature } from '../drafts/drafts.feature';
import { selectActiveHistory } from '../history/history.selectors';
import { MentionListActions } from '../mentions/members.actions';
import { selectMentionNames, selectMentionOptions } from '../mentions/mention.selectors';
import { MessageMenuActions } from '../message-actions/message-actions.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { initialChatState } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { emptyHistory } from '../messages/room-history';
import { SettingsLauncher } from '../notification-settings/settings-launcher';
import { notificationsFeature } from '../notifications/notifications.feature';
import { MessagesApiActions } from '../outbox/outbox.actions';
import { selectActiveComposerError } from '../outbox/outbox.selectors';
import { blocksFeature } from '../people/blocks.feature';
import { PeopleListActions } from '../people/people.actions';
import { usersFeature } from '../people/users.feature';
import { MessageListActions } from '../read-state/read-state.actions';
import { readStateFeature } from '../read-state/read-state.feature';
import { initialMembersPanelState, membersPanelFeature } from '../room-admin/members-panel.feature';
import { MembersPanelState } from '../room-admin/members-panel-state';
import { MembersPanelActions } from '../room-admin/room-admin.actions';
import { RoomAccessActions, RoomsSidebarActions } from '../rooms/rooms.actions';
import { roomsFeature } from '../rooms/rooms.feature';
import { typingFeature } from '../typing/typing.feature';
import { ChatLayout } from './chat-layout';

const ann = { id: 'u-ann', name: 'Ann' };
/** The rooms whose notification settings were opened (undefined: from the top bar). */
let settingsOpened: (string | undefined)[] = [];

async function render() {
  TestBed.configureTestingModule({
    providers: [
      provideMockStore({
        selectors: [
          { selector: sessionFeature.selectUser, value: ann },
          { selector: connectionFeature.selectState, value: 'reconnecting' },
          { selector: connectionFeature.selectOnline, value: true },
          { selector: chatSelectors.selectActiveRoom, value: 'general' },
          { selector: chatSelectors.selectActiveMessages, value: [] },
          {
            selector: selectActiveHistory,
            value: { loaded: true, hasMore: false, loadingOlder: false, error: null },
          },
          { selector: selectActiveComposerError, value: null },
          {
            selector: readStateFeature.selectRoomCounts,
            value: {
              general: { unread: 0, mentions: 0, muted: false },
              team: { unread: 3, mentions: 1, muted: false },
            },
          },
          { selector: readStateFeature.selectTotalUnread, value: 3 },
          {
            selector: selectMentionOptions,
            value: [
              { id: 'u-ben', name: 'Ben' },
              { id: 'u-bea', name: 'Bea Long' },
              { id: 'room', name: 'room', room: true },
            ],
          },
          { selector: selectMentionNames, value: { 'u-ben': 'Ben', 'u-ann': 'Ann' } },
          { selector: draftsFeature.selectActiveDraft, value: { room: 'general', text: '' } },
          { selector: notificationsFeature.selectPermission, value: 'default' },
          { selector: chatSelectors.selectReadMarker, value: null },
          { selector: typingFeature.selectActiveTypists, value: ['Ben'] },
          {
            selector: roomsFeature.selectJoinedRooms,
            value: [
              { name: 'general', kind: 'room', title: 'general', joined: true },
              { name: 'team', kind: 'room', title: 'team', joined: true },
            ],
          },
          { selector: roomsFeature.selectDirectMessages, value: [] },
          { selector: roomsFeature.selectOtherRooms, value: [] },
          { selector: roomsFeature.selectArchivedRooms, value: [] },
          { selector: roomsFeature.selectLost, value: null },
          { selector: roomsFeature.selectError, value: null },
          { selector: roomsFeature.selectLoaded, value: true },
          {
            selector: roomsFeature.selectRoomEntities,
            // The viewer moderates general, so Delete is offered on other people's messages.
            value: {
              general: { name: 'general', kind: 'room', title: 'general', joined: true, moderator: true },
              team: { name: 'team', kind: 'room', title: 'team', joined: true },
            },
          },
          { selector: usersFeature.selectOtherUsers, value: [{ id: 'u-ben', name: 'Ben', online: true }] },
          { selector: blocksFeature.selectUsers, value: [] },
          { selector: blocksFeature.selectError, value: null },
        ],
        initialState: {
          chat: initialChatState,
          attachments: initialAttachmentsState,
          users: usersFeature.reducer(undefined, { type: 'init' }),
        },
      }),
      // The members panel's own state and effects need the real store (room-admin/members-panel.spec.ts).
      { provide: MembersPanelState, useValue: {} },
      // The settings panel is a lazy chunk with its own state (notification-settings/settings-panel.spec.ts).
      { provide: SettingsLauncher, useValue: { open: (room?: string) => settingsOpened.push(room) } },
    ],
  });
  settingsOpened = [];
  const store = TestBed.inject(MockStore);
  const dispatched: { type: string }[] = [];
  store.scannedActions$.subscribe((action) => dispatched.push(action));
  const fixture = TestBed.createComponent(ChatLayout);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const byTestId = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  return { fixture, element, byTestId, dispatched, store };
}

describe('ChatLayout', () => {
  it('shows who is signed in, the connection state, who is typing and the unread count per room', async () => {
    const { byTestId, element } = await render();
    expect(byTestId('current-user')?.textContent).toBe('Ann');
    expect(byTestId('connection-state')?.textContent?.trim()).toBe('reconnecting');
    expect(byTestId('typing-indicator')?.textContent).toBe('\u2068Ben\u2069 is typing…');
    const team = element.querySelector('[data-testid="room"][data-room="team"]');
    expect(team?.querySelector('[data-testid="room-unread"]')?.textContent).toBe('3');
    expect(team?.querySelector('[data-testid="room-mentions"]')?.getAttribute('aria-label')).toBe('1 mention');
    expect(element.querySelector('[data-room="general"] [data-testid="room-unread"]')).toBeNull();
    expect(element.querySelector('[data-testid="user"]')?.getAttribute('data-online')).toBe('true');
  });

  it('sends what the user typed as a pending message with a fresh id, even while reconnecting', async () => {
    const { fixture, byTestId, dispatched } = await render();
    const box = byTestId('composer-input') as HTMLTextAreaElement;
    box.value = 'hello';
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    const sent = dispatched.filter((action) => action.type === ChatPageActions.messageSent.type);
    expect(sent).toEqual([
      ChatPageActions.messageSent({
        message: expect.objectContaining({
          room: 'general',
          text: 'hello',
          sender: ann,
          status: 'pending',
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        }),
      }),
    ]);
    expect(dispatched.map((action) => action.type)).not.toContain(MessagesApiActions.sendSucceeded.type);
  });

  it('with files attached, sends even without words and hands the message to the attachments feature', async () => {
    const { fixture, byTestId, dispatched, store } = await render();
    store.overrideSelector(attachmentsFeature.selectActiveDrafts, [
      { key: 'k', room: 'general', name: 'a.png', size: 1, type: 'image/png', status: 'uploading', loaded: 0 },
    ]);
    store.refreshState();
    await fixture.whenStable();
    const send = byTestId('composer-send') as HTMLButtonElement;
    expect(send.disabled).toBe(false);
    send.click();
    const sent = dispatched.filter((action) => action.type === AttachmentTrayActions.messageWithFilesSent.type);
    expect(sent).toEqual([
      AttachmentTrayActions.messageWithFilesSent({
        message: expect.objectContaining({ room: 'general', text: '', status: 'pending' }),
      }),
    ]);
    expect(dispatched.map((action) => action.type)).not.toContain(ChatPageActions.messageSent.type);
    // Overrides outlive the test module: put the selector back.
    store.resetSelectors();
  });

  it('offers to join a room you are not in, opened by its address, in place of its messages and composer', async () => {
    const { fixture, byTestId, dispatched, store } = await render();
    store.overrideSelector(chatSelectors.selectActiveRoom, 'art');
    store.overrideSelector(roomsFeature.selectRoomEntities, {
      art: { name: 'art', kind: 'room', title: 'art', joined: false },
    });
    store.refreshState();
    await fixture.whenStable();
    expect(byTestId('join-offer')?.textContent).toContain('You are not in # art yet');
    expect(byTestId('composer-input')).toBeNull();
    expect(byTestId('message-list')).toBeNull();
    byTestId('join-room')?.click();
    expect(dispatched).toContainEqual(RoomsSidebarActions.joinClicked({ room: 'art' }));
    store.resetSelectors();
  });

  it('sends the people picked after @ as mentions by id, and @room where the room allows it', async () => {
    const { fixture, byTestId, dispatched } = await render();
    const store = TestBed.inject(MockStore);
    store.overrideSelector(chatSelectors.selectActiveRoom, 'team');
    store.refreshState();
    await fixture.whenStable();
    const box = byTestId('composer-input') as HTMLTextAreaElement;
    const typed = '@Bea Long and @Ben, @room: lunch? (@Benny is nobody)';
    box.value = typed;
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    const sent = dispatched.filter((action) => action.type === ChatPageActions.messageSent.type);
    expect(sent).toEqual([
      ChatPageActions.messageSent({
        message: expect.objectContaining({
          room: 'team',
          text: '<@u-bea> and <@u-ben>, @room: lunch? (@Benny is nobody)',
          mentions: ['u-bea', 'u-ben'],
          mentionsRoom: true,
        }),
      }),
    ]);
    // The draft was kept as typed (names, not tokens); the send clears it (the drafts reducer does, on Message Sent).
    expect(dispatched).toContainEqual(ComposerDraftActions.draftChanged({ room: 'team', text: typed }));
  });

  it('mentions the person picked when two share a name, reads unshared names typed by hand, and leaves shared ones as text', async () => {
    const { fixture, byTestId, dispatched, store } = await render();
    store.overrideSelector(selectMentionOptions, [
      { id: 'u-ben', name: 'Ben' },
      { id: 'u-cy-1', name: 'Cy' },
      { id: 'u-cy-2', name: 'Cy' },
    ]);
    store.refreshState();
    await fixture.whenStable();
    const box = byTestId('composer-input') as HTMLTextAreaElement;
    const type = async (text: string) => {
      box.value = text;
      box.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const press = async (key: string) => {
      box.dispatchEvent(new KeyboardEvent('keydown', { key, cancelable: true }));
      await fixture.whenStable();
    };
    await type('@c');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    await press('ArrowDown');
    await press('Enter');
    expect(box.value).toBe('@Cy ');
    // The second @Cy and @Ben are typed by hand; after the last space no list is open, so Enter sends.
    await type('@Cy and @Cy and @Ben ');
    await press('Enter');
    const sent = dispatched.filter((action) => action.type === ChatPageActions.messageSent.type);
    expect(sent).toEqual([
      ChatPageActions.messageSent({
        message: expect.objectContaining({ text: '<@u-cy-2> and @Cy and <@u-ben>', mentions: ['u-cy-2', 'u-ben'] }),
      }),
    ]);
    store.resetSelectors();
  });

  it("opens a room's notification settings from its bell and from the top bar, and turns mark-as-unread into its action", async () => {
    const { fixture, element, dispatched } = await render();
    element.querySelector<HTMLButtonElement>('[data-room="team"] ~ [data-testid="room-notifications"]')!.click();
    element.querySelector<HTMLButtonElement>('[data-testid="notification-settings-open"]')!.click();
    expect(settingsOpened).toEqual(['team', undefined]);
    const store = TestBed.inject(MockStore);
    store.overrideSelector(chatSelectors.selectActiveMessages, [
      {
        id: 'm1',
        room: 'general',
        text: 'hi',
        sender: { id: 'u-ben', name: 'Ben' },
        sentAt: '2026-01-01T10:00:00Z',
        seq: 4,
        status: 'sent',
      },
    ]);
    store.refreshState();
    await fixture.whenStable();
    element.querySelector<HTMLButtonElement>('[data-testid="message-menu"]')!.click();
    await fixture.whenStable();
    element.querySelector<HTMLButtonElement>('[data-testid="menu-mark-unread"]')!.click();
    expect(dispatched).toContainEqual(MessageListActions.markUnreadClicked({ room: 'general', messageId: 'm1' }));
  });

  it('opens rooms from the keyboard as the sidebar does: Alt+arrows through all, Alt+Shift+arrows through unread ones', async () => {
    const { dispatched } = await render();
    const press = (init: KeyboardEventInit) =>
      document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    press({ key: 'ArrowDown', altKey: true });
    press({ key: 'ArrowUp', altKey: true, shiftKey: true });
    // Typed into a text box, ? is text; Alt alone is nothing.
    const box = document.body.appendChild(document.createElement('textarea'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: '?', bubbles: true, cancelable: true }));
    box.remove();
    press({ key: 'ArrowDown' });
    expect(dispatched.filter((action) => action.type === ChatPageActions.roomSelected.type)).toEqual([
      ChatPageActions.roomSelected({ room: 'team' }),
      ChatPageActions.roomSelected({ room: 'team' }),
    ]);
  });

  it('turns sidebar clicks into Chat Page and People List actions', async () => {
    const { element, dispatched } = await render();
    element.querySelector<HTMLButtonElement>('[data-testid="room"][data-room="team"]')!.click();
    element.querySelector<HTMLButtonElement>('[data-testid="start-dm"]')!.click();
    element.querySelector<HTMLButtonElement>('[data-testid="block"]')!.click();
    expect(dispatched.slice(-3)).toEqual([
      ChatPageActions.roomSelected({ room: 'team' }),
      PeopleListActions.directMessageClicked({ userId: 'u-ben' }),
      PeopleListActions.blockClicked({ user: { id: 'u-ben', name: 'Ben' } }),
    ]);
  });
});

describe('ChatLayout: new group', () => {
  it('opens the New group dialog (loaded on first use) from the people list; Start asks, Cancel gives the focus back', async () => {
    const dialogs = HTMLDialogElement.prototype;
    // jsdom has no modal dialogs: enough of one to open and close.
    dialogs.showModal = function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    dialogs.close = function (this: HTMLDialogElement) {
      this.removeAttribute('open');
      this.dispatchEvent(new Event('close'));
    };
    const { fixture, byTestId, store, dispatched } = await render();
    expect(byTestId('new-group')).toBeNull();
    store.overrideSelector(usersFeature.selectOtherUsers, [
      { id: 'u-ben', name: 'Ben', online: true },
      { id: 'u-cat', name: 'Cat', online: false },
      { id: 'u-dan', name: 'Dan', online: false },
    ]);
    store.overrideSelector(blocksFeature.selectUsers, [{ id: 'u-dan', name: 'Dan' }]);
    store.overrideSelector(roomsFeature.selectOpeningDirectMessage, false);
    store.refreshState();
    await fixture.whenStable();
    const button = byTestId('new-group')!;
    expect(button.getAttribute('aria-haspopup')).toBe('dialog');
    button.click();
    // The dialog's code arrives asynchronously.
    for (let turn = 0; turn < 100 && !byTestId('new-group-dialog')?.hasAttribute('open'); turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await fixture.whenStable();
    }
    const dialog = byTestId('new-group-dialog')!;
    expect(dialog.hasAttribute('open')).toBe(true);
    // Everyone but the people the user blocked; Start asks for the conversation.
    const boxes = [...dialog.querySelectorAll<HTMLInputElement>('[data-testid="new-group-person"]')];
    expect(boxes.map((box) => box.dataset['userId'])).toEqual(['u-ben', 'u-cat']);
    for (const box of boxes) box.click();
    await fixture.whenStable();
    byTestId('new-group-start')!.click();
    expect(dispatched.at(-1)).toEqual(PeopleListActions.groupSubmitted({ userIds: ['u-ben', 'u-cat'] }));
    [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
    await fixture.whenStable();
    expect(byTestId('new-group-dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});

describe('ChatLayout: message actions', () => {
  const ben = { id: 'u-ben', name: 'Ben' };
  const question = {
    id: 'q1',
    room: 'general',
    text: 'the question',
    sender: ben,
    sentAt: '2026-01-01T10:00:00Z',
    seq: 1,
    status: 'sent' as const,
  };

  it('replies with a quote of the original, and turns menu choices into Message Menu actions', async () => {
    const { fixture, element, byTestId, dispatched } = await render();
    const store = TestBed.inject(MockStore);
    store.overrideSelector(chatSelectors.selectActiveMessages, [question]);
    store.refreshState();
    await fixture.whenStable();
    const item = element.querySelector<HTMLElement>('[data-message-id="q1"]')!;
    const open = async () => {
      item.querySelector<HTMLButtonElement>('[data-testid="message-menu"]')!.click();
      await fixture.whenStable();
    };
    await open();
    item.querySelector<HTMLButtonElement>('[data-testid="menu-reply"]')!.click();
    await fixture.whenStable();
    expect(byTestId('composer-reply')?.textContent).toContain('Ben');
    const box = byTestId('composer-input') as HTMLTextAreaElement;
    box.value = 'the answer';
    box.dispatchEvent(new Event('input'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    await fixture.whenStable();
    expect(byTestId('composer-reply')).toBeNull();
    await open();
    item.querySelector<HTMLButtonElement>('[data-testid="react-option"]')!.click();
    await open();
    item.querySelector<HTMLButtonElement>('[data-testid="menu-delete"]')!.click();
    await fixture.whenStable();
    item.querySelector<HTMLButtonElement>('[data-testid="confirm-delete"]')!.click();
    const ours = dispatched
      .filter(
        (action) =>
          action.type !== ChatPageActions.typed.type &&
          action.type !== ComposerDraftActions.draftChanged.type &&
          action.type !== MessageListActions.readingPositionChanged.type,
      )
      .slice(-3);
    expect(ours).toEqual([
      ChatPageActions.messageSent({
        message: expect.objectContaining({
          text: 'the answer',
          replyTo: { id: 'q1', sender: ben, excerpt: 'the question' },
        }),
      }),
      MessageMenuActions.reactionToggled({ message: question, emoji: '👍', add: true, user: ann }),
      MessageMenuActions.deleteConfirmed({ message: question, by: ann }),
    ]);
  });
});

describe('ChatLayout: editing whom a message mentions', () => {
  const cat = { id: 'u-cat', name: 'Cat' };
  // Ann's message in team, mentioning Cat, whom the @ list does not hold (not found yet).
  const own = {
    id: 'm2',
    room: 'team',
    text: '<@u-cat> hi',
    mentions: [cat.id],
    sender: ann,
    sentAt: '2026-01-01T10:00:00Z',
    seq: 2,
    status: 'sent' as const,
  };

  async function editing() {
    const page = await render();
    page.store.overrideSelector(chatSelectors.selectActiveRoom, 'team');
    page.store.overrideSelector(chatSelectors.selectActiveMessages, [own]);
    page.store.overrideSelector(selectMentionNames, { 'u-ben': 'Ben', 'u-ann': 'Ann', 'u-cat': 'Cat' });
    page.store.refreshState();
    await page.fixture.whenStable();
    const item = page.element.querySelector<HTMLElement>('[data-message-id="m2"]')!;
    item.querySelector<HTMLButtonElement>('[data-testid="message-menu"]')!.click();
    await page.fixture.whenStable();
    item.querySelector<HTMLButtonElement>('[data-testid="menu-edit"]')!.click();
    await page.fixture.whenStable();
    const box = item.querySelector<HTMLTextAreaElement>('[data-testid="edit-input"]')!;
    const type = async (text: string) => {
      box.value = text;
      box.setSelectionRange(text.length, text.length);
      box.dispatchEvent(new Event('input'));
      await page.fixture.whenStable();
    };
    const key = async (name: string) => {
      box.dispatchEvent(new KeyboardEvent('keydown', { key: name, cancelable: true }));
      await page.fixture.whenStable();
    };
    return { ...page, item, box, type, key };
  }

  const edits = (dispatched: { type: string }[]) =>
    dispatched.filter((action) => action.type === MessageMenuActions.editSaved.type);

  it('encodes the edited text as a new message: people added, kept and dropped, and @room', async () => {
    const { box, type, key, dispatched } = await editing();
    expect(box.value).toBe('@Cat hi');
    await type('@Bea Long and @Cat, @room: hi (not @Ann)');
    await key('Enter');
    expect(edits(dispatched)).toEqual([
      MessageMenuActions.editSaved({
        message: own,
        text: '<@u-bea> and <@u-cat>, @room: hi (not @Ann)',
        mentions: ['u-bea', cat.id],
        mentionsRoom: true,
        revision: expect.any(Number),
        editedAt: expect.any(String),
      }),
    ]);
  });

  it('an edit that no longer names anyone mentions nobody', async () => {
    const { type, key, dispatched } = await editing();
    await type('hi all');
    await key('Enter');
    expect(edits(dispatched)).toEqual([expect.objectContaining({ text: 'hi all', mentions: [], mentionsRoom: false })]);
  });

  it('offers the @ list in the editor: the page looks the name up, Enter picks, and only then saves', async () => {
    const { box, item, type, key, dispatched } = await editing();
    await type('@Cat hi @Be');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    const options = [...item.querySelectorAll('[data-testid="mention-option"] bdi')].map((o) => o.textContent?.trim());
    expect(options).toEqual(['@Bea Long', '@Ben']);
    expect(dispatched).toContainEqual(MentionListActions.searched({ room: 'team', query: 'Be' }));
    await key('ArrowDown');
    await key('Enter');
    expect(box.value).toBe('@Cat hi @Ben ');
    expect(edits(dispatched)).toEqual([]);
    // Escape closes the list and leaves the editor open.
    await type('@Cat hi @Ben @B');
    await key('Escape');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(item.querySelector('[data-testid="edit-input"]')).toBe(box);
    // With the caret after a finished name, the list is closed and Enter saves.
    await type('@Cat hi @Ben ');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await key('Enter');
    expect(edits(dispatched)).toEqual([
      expect.objectContaining({ text: '<@u-cat> hi <@u-ben>', mentions: [cat.id, 'u-ben'], mentionsRoom: false }),
    ]);
  });
});

describe('ChatLayout: private and archived rooms', () => {
  const secret = {
    name: 'secret',
    kind: 'room' as const,
    title: 'Launch plans',
    joined: true,
    private: true,
    role: 'owner' as const,
    topic: 'Ship it by Friday',
  };
  const old = { name: 'old', kind: 'room' as const, title: 'Old news', joined: true, archived: true };

  async function withRooms(active: string, extra: Record<string, unknown> = {}) {
    const page = await render();
    page.store.overrideSelector(roomsFeature.selectJoinedRooms, [
      { name: 'general', kind: 'room', title: 'general', joined: true },
      secret,
    ]);
    page.store.overrideSelector(roomsFeature.selectArchivedRooms, [old]);
    page.store.overrideSelector(roomsFeature.selectRoomEntities, { secret, old, ...extra });
    page.store.overrideSelector(chatSelectors.selectActiveRoom, active);
    page.store.refreshState();
    await page.fixture.whenStable();
    return page;
  }

  it('creates a private room with the switch, and marks private rooms with a lock screen readers hear', async () => {
    const { fixture, element, byTestId, dispatched } = await withRooms('general');
    const row = element.querySelector('[data-testid="room"][data-room="secret"]')!;
    expect(row.querySelector('[data-testid="room-lock"]')?.getAttribute('aria-hidden')).toBe('true');
    expect(row.textContent?.replace(/\s+/g, ' ').trim()).toBe('# Launch plans(private)');
    const toggle = byTestId('create-room-private')!;
    expect([toggle.getAttribute('role'), toggle.getAttribute('aria-checked')]).toEqual(['switch', 'false']);
    toggle.click();
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    const input = byTestId('create-room-input') as HTMLInputElement;
    input.value = 'plans';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    byTestId('create-room-submit')!.click();
    await fixture.whenStable();
    expect(dispatched).toContainEqual(RoomsSidebarActions.createRoomSubmitted({ name: 'plans', private: true }));
    // The switch goes back off for the next room.
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });

  it('keeps archived rooms under their own folded heading', async () => {
    const { fixture, byTestId } = await withRooms('general');
    const toggle = byTestId('archived-toggle')!;
    expect(toggle.textContent?.trim()).toBe('Archived (1)');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(byTestId('archived-list')?.hidden).toBe(true);
    toggle.click();
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(byTestId('archived-list')?.hidden).toBe(false);
  });

  it('shows the topic under the title; an archived room is read-only', async () => {
    const page = await withRooms('secret');
    expect(page.byTestId('room-topic')?.textContent).toBe('Ship it by Friday');
    expect(page.byTestId('composer-input')).not.toBeNull();
    const archived = await withRoomsAgain(page, 'old');
    expect(archived.byTestId('composer-input')).toBeNull();
    expect(archived.byTestId('archived-note')?.textContent).toContain('This room is archived');
  });

  async function withRoomsAgain(page: Awaited<ReturnType<typeof render>>, active: string) {
    page.store.overrideSelector(chatSelectors.selectActiveRoom, active);
    page.store.refreshState();
    await page.fixture.whenStable();
    return page;
  }

  it('says a room the server would not show does not exist or is not yours, with no title and no way in', async () => {
    const page = await withRooms('hidden');
    const refused = (refusal: 'not-found' | 'not-member') => ({ ...emptyHistory, error: 'no', refusal });
    page.store.overrideSelector(selectActiveHistory, refused('not-found'));
    page.store.refreshState();
    await page.fixture.whenStable();
    expect(page.byTestId('no-access')?.textContent).toContain(
      "You don't have access to this room, or it doesn't exist.",
    );
    expect(page.byTestId('join-offer')).toBeNull();
    expect(page.byTestId('composer-input')).toBeNull();
    expect(page.byTestId('members-toggle')).toBeNull();
    expect(page.byTestId('room-title')?.textContent).toBe('# hidden');
    // A public room past the list's first page answers "not a member": it is offered to join.
    page.store.overrideSelector(selectActiveHistory, refused('not-member'));
    page.store.refreshState();
    await page.fixture.whenStable();
    expect(page.byTestId('no-access')).toBeNull();
    expect(page.byTestId('join-offer')).not.toBeNull();
  });

  it('says why the open room went, until dismissed', async () => {
    const page = await withRooms('general');
    page.store.overrideSelector(roomsFeature.selectLost, { room: 'secret', title: 'Launch plans', reason: 'banned' });
    page.store.refreshState();
    await page.fixture.whenStable();
    const notice = page.byTestId('room-lost')!;
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent?.replace(/\s+/g, ' ')).toContain('You were banned from # Launch plans.');
    notice.querySelector('button')!.click();
    expect(page.dispatched).toContainEqual(RoomAccessActions.noticeDismissed());
  });

  it('opens the members panel, loaded on first use, beside the room', async () => {
    const page = await withRooms('secret');
    page.store.overrideSelector(membersPanelFeature.selectMembersPanelState, {
      ...initialMembersPanelState,
      room: 'secret',
      loaded: true,
      members: { 'u-ann': { ...ann, role: 'owner' } },
    });
    page.store.refreshState();
    const toggle = page.byTestId('members-toggle')!;
    toggle.click();
    await page.fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    // The panel's code arrives asynchronously.
    for (let turn = 0; turn < 100 && !page.byTestId('room-panel'); turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await page.fixture.whenStable();
    }
    expect(page.byTestId('room-panel')?.id).toBe('room-panel');
    await page.fixture.whenStable();
    expect(page.dispatched).toContainEqual(MembersPanelActions.opened({ room: 'secret', manage: true }));
    page.byTestId('panel-close')!.click();
    await page.fixture.whenStable();
    expect(page.byTestId('room-panel')).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });
});

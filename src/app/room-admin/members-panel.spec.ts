import { TestBed } from '@angular/core/testing';
import { provideEffects } from '@ngrx/effects';
import { provideStore, Store } from '@ngrx/store';
import { MockStore, provideMockStore } from '@ngrx/store/testing';
import { firstValueFrom } from 'rxjs';

import type { Room } from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { FETCH } from '../core/api-client';
import { usersFeature } from '../people/users.feature';
import { MembersPanel } from './members-panel';
import { initialMembersPanelState, membersPanelFeature, type MembersPanelState } from './members-panel.feature';
import { MembersPanelState as PanelRegistration } from './members-panel-state';
import { MembersPanelActions } from './room-admin.actions';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };
const cat = { id: 'u-cat', name: 'Cat' };
const secret: Room = {
  name: 'secret',
  kind: 'room',
  title: 'Launch plans',
  joined: true,
  private: true,
  role: 'owner',
};

const loaded: MembersPanelState = {
  ...initialMembersPanelState,
  room: 'secret',
  loaded: true,
  members: {
    'u-ann': { ...ann, role: 'owner' },
    'u-ben': { ...ben, role: 'admin' },
    'u-cat': { ...cat, role: 'member' },
  },
  bans: [{ id: 'u-dan', name: 'Dan' }],
};

async function render(room: Room = secret, state: MembersPanelState = loaded) {
  TestBed.configureTestingModule({
    providers: [
      provideMockStore({
        selectors: [
          { selector: sessionFeature.selectUser, value: ann },
          { selector: usersFeature.selectEntities, value: { 'u-ben': { ...ben, online: true } } },
          { selector: membersPanelFeature.selectMembersPanelState, value: state },
        ],
      }),
      // The real registration needs the real store (tested below).
      { provide: PanelRegistration, useValue: {} },
    ],
  });
  const store = TestBed.inject(MockStore);
  const dispatched: { type: string }[] = [];
  store.scannedActions$.subscribe((action) => dispatched.push(action));
  const fixture = TestBed.createComponent(MembersPanel);
  fixture.componentRef.setInput('room', room);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const row = (id: string) => element.querySelector<HTMLElement>(`[data-testid="member"][data-user-id="${id}"]`)!;
  const click = async (target: ParentNode, testId: string) => {
    target.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`)!.click();
    await fixture.whenStable();
  };
  const update = async (next: MembersPanelState) => {
    store.overrideSelector(membersPanelFeature.selectMembersPanelState, next);
    store.refreshState();
    await fixture.whenStable();
  };
  return { fixture, element, dispatched, row, click, update };
}

const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, ' ').trim();

describe('MembersPanel', () => {
  it('lists the owner, then admins, then members, with presence and roles; the owner may change the others', async () => {
    const { element, dispatched, row } = await render();
    expect(dispatched).toContainEqual(MembersPanelActions.opened({ room: 'secret', manage: true }));
    const rows = [...element.querySelectorAll('[data-testid="member"]')];
    const shown = (r: Element) =>
      [...r.querySelectorAll('.who .name, .who .visually-hidden, .who .role')].map((part) => part.textContent?.trim());
    expect(rows.map(shown)).toEqual([
      ['Ann', 'active', 'owner'],
      ['Ben', 'active', 'admin'],
      ['Cat', 'offline'],
    ]);
    // Nobody changes the owner (themselves here); Ben and Cat can be changed.
    expect(row('u-ann').querySelector('.actions button')).toBeNull();
    expect(text(row('u-ben').querySelector('.actions'))).toBe('Make member Remove Ban');
    expect(row('u-cat').querySelector('[data-testid="make-admin"]')?.getAttribute('aria-label')).toBe(
      'Make admin: Cat',
    );
    expect(text(element.querySelector('[data-testid="ban-list"]'))).toBe('Dan Unban');
  });

  it('asks before removing or banning, and the focus follows', async () => {
    const { fixture, dispatched, row, click, element } = await render();
    await click(row('u-cat'), 'ban-member');
    expect(text(row('u-cat').querySelector('.confirm span'))).toBe('Ban Cat?');
    expect(document.activeElement).toBe(row('u-cat').querySelector('[data-testid="confirm-remove"]'));
    row('u-cat').querySelector<HTMLButtonElement>('.confirm .plain')!.click();
    await fixture.whenStable();
    expect(document.activeElement).toBe(row('u-cat').querySelector('[data-testid="ban-member"]'));
    await click(row('u-cat'), 'remove-member');
    await click(row('u-cat'), 'confirm-remove');
    await click(row('u-ben'), 'make-member');
    await click(element, 'unban');
    expect(dispatched.filter((action) => action.type !== MembersPanelActions.opened.type).slice(-3)).toEqual([
      MembersPanelActions.removeConfirmed({ room: 'secret', user: cat, ban: false }),
      MembersPanelActions.roleChosen({ room: 'secret', user: ben, role: 'member' }),
      MembersPanelActions.unbanClicked({ room: 'secret', user: { id: 'u-dan', name: 'Dan' } }),
    ]);
  });

  it('shows a refusal on the row it concerns, and the people search with its refusal', async () => {
    const { element, row, update, dispatched, click } = await render();
    await update({
      ...loaded,
      query: 'D',
      found: [
        { ...cat, online: false },
        { id: 'u-dot', name: 'Dot', online: true },
      ],
      errors: { 'u-ben': 'Only the owner may change roles', add: 'Dot is banned here' },
    });
    expect(row('u-ben').querySelector('[role="alert"]')?.textContent).toBe('Only the owner may change roles');
    expect(element.querySelector('[data-testid="add-error"]')?.textContent).toBe('Dot is banned here');
    // Cat is a member already: only Dot is offered.
    const found = element.querySelector('[data-testid="people-found"]')!;
    expect([...found.querySelectorAll('.name')].map((name) => name.textContent)).toEqual(['Dot']);
    const input = element.querySelector<HTMLInputElement>('[data-testid="add-person-input"]')!;
    expect(input.value).toBe('D');
    input.value = 'Do';
    input.dispatchEvent(new Event('input'));
    await click(found, 'add-person');
    expect(dispatched.slice(-2)).toEqual([
      MembersPanelActions.peopleSearched({ room: 'secret', query: 'Do' }),
      MembersPanelActions.addClicked({ room: 'secret', user: { id: 'u-dot', name: 'Dot' } }),
    ]);
  });

  it('a member may add people but changes nobody; in general nobody adds anyone', async () => {
    const { element } = await render({ ...secret, role: 'member' });
    expect(element.querySelector('[data-testid="add-person-input"]')).not.toBeNull();
    expect(element.querySelectorAll('[data-testid="member"] button:not(.name)')).toHaveLength(0);
    expect(element.querySelector('[data-testid="ban-list"]')).toBeNull();
    expect(element.querySelector('[data-testid="show-settings"]')).toBeNull();
    TestBed.resetTestingModule();
    const open = await render({ name: 'general', kind: 'room', title: 'general', joined: true, moderator: true });
    expect(open.element.querySelector('[data-testid="add-person-input"]')).toBeNull();
  });

  it('in a private room the owner restricted, a member sees who may add instead of the search', async () => {
    const { element } = await render({ ...secret, role: 'member', membersMayAdd: false });
    expect(element.querySelector('[data-testid="add-person-input"]')).toBeNull();
    expect(text(element.querySelector('[data-testid="add-restricted"]'))).toBe(
      'Only the owner and admins add people to this room.',
    );
    TestBed.resetTestingModule();
    const admin = await render({ ...secret, role: 'admin', membersMayAdd: false });
    expect(admin.element.querySelector('[data-testid="add-person-input"]')).not.toBeNull();
  });

  it('in a DM, says that adding someone starts a new group conversation, and offers nothing else', async () => {
    const pair: Room = { name: 'dm-pair', kind: 'dm', title: 'Ben', joined: true, members: [ann, ben] };
    const state = {
      ...initialMembersPanelState,
      room: 'dm-pair',
      loaded: true,
      members: { 'u-ann': ann, 'u-ben': ben },
    };
    const { element, update, click, dispatched } = await render(pair, state);
    expect(dispatched).toContainEqual(MembersPanelActions.opened({ room: 'dm-pair', manage: false }));
    const input = element.querySelector<HTMLInputElement>('[data-testid="add-person-input"]')!;
    const hint = element.querySelector('[data-testid="add-person-hint"]')!;
    expect(input.getAttribute('aria-describedby')).toBe(hint.id);
    expect(text(hint)).toBe('Adding someone starts a new group conversation; this one stays as it is.');
    expect(element.querySelectorAll('[data-testid="member"] button:not(.name)')).toHaveLength(0);
    expect(element.querySelector('[data-testid="show-settings"]')).toBeNull();
    await update({ ...state, query: 'C', found: [{ ...cat, online: true }] });
    const add = element.querySelector<HTMLButtonElement>('[data-testid="add-person"]')!;
    expect(add.getAttribute('aria-label')).toBe('Start a group with Cat');
    await click(element, 'add-person');
    expect(dispatched.at(-1)).toEqual(MembersPanelActions.addClicked({ room: 'dm-pair', user: cat }));
    // A group of eight can hold nobody more.
    const eight = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`u-${i}`, { id: `u-${i}`, name: `P${i}` }]));
    await update({ ...state, members: eight });
    expect(element.querySelector('[data-testid="add-person-input"]')).toBeNull();
    expect(text(element.querySelector('[data-testid="group-full"]'))).toBe(
      'A group conversation holds at most 8 people.',
    );
  });

  it('lets the owner of a private room keep adding to owner and admins (a switch), and nobody else', async () => {
    const { element, click, dispatched } = await render();
    await click(element, 'show-settings');
    const toggle = element.querySelector<HTMLButtonElement>('[data-testid="admins-only-add"]')!;
    expect(toggle.getAttribute('role')).toBe('switch');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    await click(element, 'admins-only-add');
    expect(dispatched.at(-1)).toEqual(
      MembersPanelActions.settingsSaved({ room: 'secret', changes: { membersMayAdd: false } }),
    );
    TestBed.resetTestingModule();
    const restricted = await render({ ...secret, membersMayAdd: false });
    await restricted.click(restricted.element, 'show-settings');
    expect(restricted.element.querySelector('[data-testid="admins-only-add"]')?.getAttribute('aria-checked')).toBe(
      'true',
    );
    TestBed.resetTestingModule();
    const admin = await render({ ...secret, role: 'admin' });
    await admin.click(admin.element, 'show-settings');
    expect(admin.element.querySelector('[data-testid="admins-only-add"]')).toBeNull();
  });

  it("edits the room's title and topic, archives it, and keeps what was typed when the server refuses", async () => {
    const { element, click, dispatched, update } = await render();
    await click(element, 'show-settings');
    expect(text(element.querySelector('h2'))).toBe('Room settings of Launch plans');
    const title = element.querySelector<HTMLInputElement>('[data-testid="room-title-input"]')!;
    const topic = element.querySelector<HTMLInputElement>('[data-testid="room-topic-input"]')!;
    expect([title.value, topic.value]).toEqual(['Launch plans', '']);
    topic.value = 'Ship it';
    topic.dispatchEvent(new Event('input'));
    await click(element, 'save-settings');
    await click(element, 'archive-room');
    expect(dispatched.slice(-2)).toEqual([
      MembersPanelActions.settingsSaved({ room: 'secret', changes: { topic: 'Ship it' } }),
      MembersPanelActions.settingsSaved({ room: 'secret', changes: { archived: true } }),
    ]);
    await update({ ...loaded, errors: { settings: 'topic must not contain control characters' } });
    expect(element.querySelector('[data-testid="settings-error"]')?.textContent).toBe(
      'topic must not contain control characters',
    );
    expect(topic.value).toBe('Ship it');
    // An empty title is refused before asking the server.
    title.value = '  ';
    title.dispatchEvent(new Event('input'));
    await click(element, 'save-settings');
    expect(element.querySelector('[data-testid="settings-error"]')?.textContent).toBe('Give the room a title');
  });
});

describe('MembersPanelState', () => {
  it("registers the panel's state and effects with the app's store when the panel first needs them", async () => {
    const asked: string[] = [];
    const answer = (body: unknown) =>
      Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(body)) } as Response);
    TestBed.configureTestingModule({
      providers: [
        provideStore(),
        provideEffects(),
        { provide: FETCH, useValue: (path: string) => (asked.push(path), answer({ members: [ben] })) },
      ],
    });
    const store = TestBed.inject(Store);
    const select = <T>(selector: (state: object) => T) => firstValueFrom(store.select(selector));
    expect(await select((state) => 'membersPanel' in state)).toBe(false);
    // (Read without the feature's selectors, which the MockStore tests above overrode.)
    const panel = (state: object) => (state as { membersPanel: MembersPanelState }).membersPanel;
    TestBed.inject(PanelRegistration);
    store.dispatch(MembersPanelActions.opened({ room: 'secret', manage: false }));
    expect(await select((state) => panel(state).room)).toBe('secret');
    // Its effects run: the members are asked for and arrive (the answer is read in a few turns).
    const members = () => select((state) => panel(state).members);
    for (let turn = 0; turn < 100 && Object.keys(await members()).length === 0; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(asked).toEqual(['/api/rooms/secret/members?limit=100']);
    expect(await members()).toEqual({ 'u-ben': ben });
  });
});

import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';

import type { ReadState, Room } from '../../../contract';
import { readStateFeature } from '../read-state/read-state.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import { SettingsPanelActions } from './notification-settings.actions';
import { notificationSettingsFeature } from './notification-settings.feature';
import { SettingsPanel } from './settings-panel';

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

const team: Room = { name: 'team', kind: 'room', title: 'Team', joined: true };
const dm: Room = { name: 'dm-u-ann-u-ben', kind: 'dm', title: 'Ben', joined: true };
const state = (room: string, extra: Partial<ReadState>): ReadState => ({
  room,
  readSeq: 0,
  unread: 0,
  mentions: 0,
  muted: false,
  version: 1,
  ...extra,
});

async function render() {
  TestBed.configureTestingModule({
    providers: [
      provideMockStore({
        selectors: [
          { selector: roomsFeature.selectJoinedRooms, value: [team] },
          { selector: roomsFeature.selectDirectMessages, value: [dm] },
          {
            selector: readStateFeature.selectRooms,
            value: { team: state('team', { notify: 'all' }), [dm.name]: state(dm.name, { muted: true }) },
          },
          {
            selector: notificationSettingsFeature.selectDevices,
            value: [{ endpoint: 'https://push.test/1', device: 'Chrome on Linux', createdAt: '2026-12-07T10:00:00Z' }],
          },
          { selector: notificationSettingsFeature.selectThisDevice, value: 'https://push.test/1' },
          { selector: notificationSettingsFeature.selectPush, value: 'on' },
          { selector: notificationSettingsFeature.selectError, value: null },
          { selector: notificationSettingsFeature.selectDoNotDisturbUntil, value: null },
        ],
      }),
    ],
  });
  const store = TestBed.inject(MockStore);
  const dispatched: unknown[] = [];
  store.scannedActions$.subscribe((action) => dispatched.push(action));
  const fixture = TestBed.createComponent(SettingsPanel);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const update = async (selector: unknown, value: unknown) => {
    store.overrideSelector(selector as never, value as never);
    store.refreshState();
    await fixture.whenStable();
  };
  return { fixture, element, store, dispatched, update };
}

describe('the notification settings panel', () => {
  it("opens on a room's level with the focus on its chosen one, each room a labelled group of radio buttons", async () => {
    const { fixture, element, dispatched } = await render();
    fixture.componentInstance.open('team');
    await fixture.whenStable();
    expect(element.querySelector('dialog')!.open).toBe(true);
    expect(dispatched).toContainEqual(SettingsPanelActions.opened());
    const groups = [...element.querySelectorAll<HTMLFieldSetElement>('[data-testid="room-level"]')];
    expect(groups.map((g) => g.querySelector('legend')!.textContent.trim())).toEqual(['#Team', 'Ben']);
    const checked = (g: HTMLFieldSetElement) =>
      g.querySelector<HTMLInputElement>('input:checked')!.parentElement!.textContent.trim();
    // `notify` when the server sends it; from `muted` otherwise.
    expect(groups.map(checked)).toEqual(['All messages', 'Nothing']);
    expect(document.activeElement).toBe(groups[0].querySelector('input:checked'));
    groups[1].querySelector<HTMLInputElement>('input[value="mentions"]')!.click();
    expect(dispatched).toContainEqual(SettingsPanelActions.levelChosen({ room: dm.name, level: 'mentions' }));
  });

  it('lists the devices, this one marked, each with its Remove button, and says pushes are on', async () => {
    const { element, dispatched } = await render();
    expect(element.querySelector('[data-testid="push-state"]')!.textContent).toContain('even when Hubbub is closed');
    expect(element.querySelector('[data-testid="push-turn-on"]')).toBeNull();
    const device = element.querySelector('[data-testid="device"]')!;
    expect(device.textContent).toContain('Chrome on Linux');
    expect(device.textContent).toContain('(this device)');
    const remove = device.querySelector<HTMLButtonElement>('[data-testid="device-remove"]')!;
    expect(remove.getAttribute('aria-label')).toBe('Remove Chrome on Linux');
    remove.click();
    expect(dispatched).toContainEqual(SettingsPanelActions.deviceRemoveClicked({ endpoint: 'https://push.test/1' }));
  });

  it("shows the server's refusal as an alert, and the turn-on button while pushes are off", async () => {
    const { element, update, dispatched } = await render();
    await update(notificationSettingsFeature.selectPush, 'failed');
    await update(notificationSettingsFeature.selectError, 'endpoint is not a known push service');
    expect(element.querySelector('[data-testid="settings-error"]')!.getAttribute('role')).toBe('alert');
    expect(element.querySelector('[data-testid="settings-error"]')!.textContent).toContain('not a known push service');
    element.querySelector<HTMLButtonElement>('[data-testid="push-turn-on"]')!.click();
    expect(dispatched).toContainEqual(
      expect.objectContaining({ type: SettingsPanelActions.pushTurnOnClicked.type, device: expect.any(String) }),
    );
  });

  it('sets do not disturb for an hour or to a custom time (refusing one past 7 days), shows until when, and turns it off', async () => {
    const { fixture, element, update, dispatched } = await render();
    const before = Date.now();
    element.querySelector<HTMLButtonElement>('[data-testid="dnd-hour"]')!.click();
    const chosen = dispatched.find(
      (a): a is { until: string } => (a as { type: string }).type === SettingsPanelActions.doNotDisturbChosen.type,
    )!;
    expect(Date.parse(chosen.until) - before).toBeGreaterThanOrEqual(60 * 60_000 - 1000);
    expect(Date.parse(chosen.until) - before).toBeLessThanOrEqual(60 * 60_000 + 1000);

    const box = element.querySelector<HTMLInputElement>('[data-testid="dnd-custom"]')!;
    box.value = '2099-01-01T09:00';
    element.querySelector<HTMLButtonElement>('[data-testid="dnd-custom-set"]')!.click();
    await fixture.whenStable();
    expect(element.querySelector('#settings-dnd-problem')!.textContent).toBe('Do not disturb lasts at most 7 days');
    expect(box.getAttribute('aria-describedby')).toBe('settings-dnd-problem');

    expect(element.querySelector('[data-testid="dnd-state"]')!.textContent).toBe('Off');
    await update(notificationSettingsFeature.selectDoNotDisturbUntil, new Date(Date.now() + 3_600_000).toISOString());
    fixture.componentInstance.open();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="dnd-state"]')!.textContent).toMatch(/^On until /);
    element.querySelector<HTMLButtonElement>('[data-testid="dnd-off"]')!.click();
    expect(dispatched).toContainEqual(SettingsPanelActions.doNotDisturbEnded());
  });
});

import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState, Store } from '@ngrx/store';

import { DM_PREFIX, type NotifyLevel, type Room } from '../../../contract';
import { notifyLevel, readStateFeature } from '../read-state/read-state.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import { deviceLabel } from './browser-push';
import {
  customDoNotDisturb,
  type DoNotDisturbChoice,
  doNotDisturbUntil,
  localInputValue,
} from './do-not-disturb-times';
import { SettingsPanelActions } from './notification-settings.actions';
import * as settingsEffects from './notification-settings.effects';
import { notificationSettingsFeature } from './notification-settings.feature';

/** The panel's state and effects, registered when the panel is first loaded (settings-launcher.ts). */
export const settingsProviders = [provideState(notificationSettingsFeature), provideEffects(settingsEffects)];

const LEVELS: readonly { readonly value: NotifyLevel; readonly label: string }[] = [
  { value: 'all', label: 'All messages' },
  { value: 'mentions', label: 'Mentions' },
  { value: 'nothing', label: 'Nothing' },
];

/**
 * Notification settings (docs/push-client.md): pushes to this device (the permission is asked only
 * on its button), the person's devices, do not disturb, and each room's level. A modal `<dialog>`:
 * Escape closes it and the focus stays inside; each group of choices is a fieldset of radio buttons.
 */
@Component({
  selector: 'hb-settings-panel',
  template: `
    <dialog #dialog class="panel" aria-labelledby="settings-title" data-testid="settings-panel">
      <div class="head">
        <h2 id="settings-title">Notifications</h2>
        <button type="button" data-testid="settings-close" (click)="close()">Close</button>
      </div>
      @if (error(); as error) {
        <p class="error" role="alert" data-testid="settings-error">{{ error }}</p>
      }

      <section aria-labelledby="settings-device">
        <h3 id="settings-device">This device</h3>
        <p role="status" data-testid="push-state">{{ pushText() }}</p>
        @if (push() !== 'on') {
          <button type="button" data-testid="push-turn-on" [disabled]="push() === 'working'" (click)="turnOnPush()">
            Turn on notifications on this device
          </button>
        }
        <h4 id="settings-devices">Your devices</h4>
        @if (devices(); as devices) {
          @if (devices.length === 0) {
            <p class="quiet" data-testid="devices-empty">No device receives pushes yet.</p>
          } @else {
            <ul aria-labelledby="settings-devices" data-testid="device-list">
              @for (device of devices; track device.endpoint) {
                <li data-testid="device">
                  <span class="device">
                    <bdi>{{ device.device }}</bdi>
                    @if (device.endpoint === thisDevice()) {
                      <span class="quiet">(this device)</span>
                    }
                  </span>
                  <button
                    type="button"
                    data-testid="device-remove"
                    [attr.aria-label]="'Remove ' + device.device"
                    (click)="removeDevice(device.endpoint)"
                  >
                    Remove
                  </button>
                </li>
              }
            </ul>
          }
        } @else {
          <p class="quiet">Loading…</p>
        }
      </section>

      <section aria-labelledby="settings-dnd">
        <h3 id="settings-dnd">Do not disturb</h3>
        <p role="status" data-testid="dnd-state">{{ doNotDisturbText() }}</p>
        <div class="buttons">
          <button type="button" data-testid="dnd-hour" (click)="doNotDisturb('hour')">For 1 hour</button>
          <button type="button" data-testid="dnd-tomorrow" (click)="doNotDisturb('tomorrow')">
            Until tomorrow 9:00
          </button>
          @if (doNotDisturbOn()) {
            <button type="button" data-testid="dnd-off" (click)="endDoNotDisturb()">Turn off</button>
          }
        </div>
        <form class="custom" novalidate (submit)="$event.preventDefault(); customDoNotDisturb(customBox.value)">
          <label for="settings-dnd-until">Until</label>
          <input
            #customBox
            id="settings-dnd-until"
            type="datetime-local"
            data-testid="dnd-custom"
            [min]="now().min"
            [max]="now().max"
            [attr.aria-describedby]="customProblem() ? 'settings-dnd-problem' : null"
          />
          <button type="submit" data-testid="dnd-custom-set">Set</button>
        </form>
        @if (customProblem(); as problem) {
          <p id="settings-dnd-problem" class="error" role="alert">{{ problem }}</p>
        }
      </section>

      <section aria-labelledby="settings-rooms">
        <h3 id="settings-rooms">Rooms</h3>
        <p class="quiet">What notifies you, in tabs and by push, and counts on the badge.</p>
        @for (room of rooms(); track room.name) {
          <fieldset data-testid="room-level" [attr.data-room]="room.name">
            <legend>
              <bdi>{{ roomLabel(room) }}</bdi>
            </legend>
            @for (level of levels; track level.value) {
              <label>
                <input
                  type="radio"
                  [name]="'level-' + room.name"
                  [value]="level.value"
                  [checked]="levelOf(room.name) === level.value"
                  (change)="chooseLevel(room.name, level.value)"
                />
                {{ level.label }}
              </label>
            }
          </fieldset>
        }
      </section>
    </dialog>
  `,
  styles: `
    .panel {
      width: min(34rem, calc(100vw - 2rem));
      max-height: calc(100dvh - 2rem);
      overflow-y: auto;
      padding: 1rem 1.25rem;
      border: 1px solid var(--border);
      border-radius: 0.5rem;
      background: var(--surface);
      color: var(--text);
    }
    .head {
      display: flex;
      justify-content: space-between;
      align-items: center;
    }
    h2 {
      margin: 0;
      font-size: 1.1rem;
    }
    h3 {
      margin: 1rem 0 0.4rem;
      font-size: 1rem;
    }
    h4 {
      margin: 0.75rem 0 0.3rem;
      font-size: 0.9rem;
    }
    p {
      margin: 0.3rem 0;
    }
    .quiet {
      color: var(--muted);
      font-size: 0.85rem;
    }
    .error {
      color: var(--danger);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li,
    .buttons,
    .custom {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      padding: 0.2rem 0;
    }
    li .device {
      flex: 1;
    }
    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      margin: 0 0 0.4rem;
      padding: 0.25rem 0.6rem 0.4rem;
      border: 1px solid var(--border);
      border-radius: 0.25rem;
    }
    fieldset label {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPanel {
  private readonly store = inject(Store);
  private readonly injector = inject(Injector);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  protected readonly levels = LEVELS;
  private readonly joined = this.store.selectSignal(roomsFeature.selectJoinedRooms);
  private readonly directMessages = this.store.selectSignal(roomsFeature.selectDirectMessages);
  private readonly readStates = this.store.selectSignal(readStateFeature.selectRooms);
  protected readonly rooms = computed(() => [...this.joined(), ...this.directMessages()]);
  protected readonly devices = this.store.selectSignal(notificationSettingsFeature.selectDevices);
  protected readonly thisDevice = this.store.selectSignal(notificationSettingsFeature.selectThisDevice);
  protected readonly push = this.store.selectSignal(notificationSettingsFeature.selectPush);
  protected readonly error = this.store.selectSignal(notificationSettingsFeature.selectError);
  private readonly doNotDisturbUntil = this.store.selectSignal(notificationSettingsFeature.selectDoNotDisturbUntil);
  /** Read when the panel opens: the bounds of the custom end. */
  protected readonly now = signal(bounds(new Date()));
  protected readonly customProblem = signal<string | null>(null);

  protected readonly pushText = computed(() => {
    switch (this.push()) {
      case 'on':
        return 'Pushes come to this device, even when Hubbub is closed.';
      case 'working':
        return 'Turning on…';
      case 'failed':
        return 'Pushes are off on this device.';
      default:
        return 'Notifications come only while a Hubbub tab is open.';
    }
  });
  protected readonly doNotDisturbOn = computed(() => {
    const until = this.doNotDisturbUntil();
    return until !== null && Date.parse(until) > this.now().at;
  });
  protected readonly doNotDisturbText = computed(() => {
    const until = this.doNotDisturbUntil();
    if (!until || !this.doNotDisturbOn()) return 'Off';
    const when = new Date(until).toLocaleString([], {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    return `On until ${when}: nothing notifies you, and others see you as do not disturb.`;
  });

  /** Shows the panel; with a room (its bell in the sidebar), that room's chosen level takes the focus. */
  open(room?: string): void {
    this.now.set(bounds(new Date()));
    this.customProblem.set(null);
    this.store.dispatch(SettingsPanelActions.opened());
    const dialog = this.dialog().nativeElement;
    if (!dialog.open) dialog.showModal();
    if (room === undefined) return;
    afterNextRender(
      () => {
        const group = [...dialog.querySelectorAll<HTMLElement>('fieldset[data-room]')].find(
          (fieldset) => fieldset.dataset['room'] === room,
        );
        // Not in every DOM (jsdom has none); focusing scrolls it into view anyway.
        group?.scrollIntoView?.({ block: 'nearest' });
        group?.querySelector<HTMLInputElement>('input:checked')?.focus();
      },
      { injector: this.injector },
    );
  }

  protected close(): void {
    this.dialog().nativeElement.close();
  }

  protected roomLabel(room: Room): string {
    return room.kind === 'dm' || room.name.startsWith(DM_PREFIX) ? room.title : `#${room.title}`;
  }

  protected levelOf(room: string): NotifyLevel {
    return notifyLevel(this.readStates()[room]);
  }

  protected chooseLevel(room: string, level: NotifyLevel): void {
    this.store.dispatch(SettingsPanelActions.levelChosen({ room, level }));
  }

  protected turnOnPush(): void {
    this.store.dispatch(SettingsPanelActions.pushTurnOnClicked({ device: deviceLabel(navigator.userAgent) }));
  }

  protected removeDevice(endpoint: string): void {
    this.store.dispatch(SettingsPanelActions.deviceRemoveClicked({ endpoint }));
  }

  protected doNotDisturb(choice: DoNotDisturbChoice): void {
    const now = new Date();
    this.now.set(bounds(now));
    this.customProblem.set(null);
    this.store.dispatch(
      SettingsPanelActions.doNotDisturbChosen({ until: doNotDisturbUntil(choice, now).toISOString() }),
    );
  }

  protected customDoNotDisturb(value: string): void {
    const now = new Date();
    this.now.set(bounds(now));
    const until = customDoNotDisturb(value, now);
    if (typeof until === 'string') {
      this.customProblem.set(until);
      return;
    }
    this.customProblem.set(null);
    this.store.dispatch(SettingsPanelActions.doNotDisturbChosen({ until: until.toISOString() }));
  }

  protected endDoNotDisturb(): void {
    this.store.dispatch(SettingsPanelActions.doNotDisturbEnded());
  }
}

function bounds(now: Date): { at: number; min: string; max: string } {
  return {
    at: now.getTime(),
    min: localInputValue(now),
    max: localInputValue(new Date(now.getTime() + 7 * 24 * 60 * 60_000)),
  };
}

import { createFeature, createReducer, on } from '@ngrx/store';

import type { PushDevice } from '../../../contract';
import { NotificationSettingsApiActions, SettingsPanelActions } from './notification-settings.actions';

/** Pushes to this device: not asked, being set up, on, or refused (by the person or the browser). */
export type PushStatus = 'off' | 'working' | 'on' | 'failed';

export interface NotificationSettingsState {
  /** Null until loaded. */
  readonly devices: readonly PushDevice[] | null;
  /** This device's endpoint when it is subscribed here. */
  readonly thisDevice: string | null;
  readonly push: PushStatus;
  /** Do not disturb is on until then (as this tab last heard). */
  readonly doNotDisturbUntil: string | null;
  /** The last refusal, in the server's or the browser's words. */
  readonly error: string | null;
}

const initialState: NotificationSettingsState = {
  devices: null,
  thisDevice: null,
  push: 'off',
  doNotDisturbUntil: null,
  error: null,
};

/** The notification settings panel's state: a lazy slice, registered when the panel first opens. */
export const notificationSettingsFeature = createFeature({
  name: 'notificationSettings',
  reducer: createReducer(
    initialState,
    on(
      SettingsPanelActions.levelChosen,
      SettingsPanelActions.doNotDisturbChosen,
      SettingsPanelActions.doNotDisturbEnded,
      SettingsPanelActions.deviceRemoveClicked,
      (state): NotificationSettingsState => ({ ...state, error: null }),
    ),
    on(SettingsPanelActions.pushTurnOnClicked, (state): NotificationSettingsState => ({
      ...state,
      push: 'working',
      error: null,
    })),
    on(NotificationSettingsApiActions.devicesLoaded, (state, { devices, thisDevice }): NotificationSettingsState => ({
      ...state,
      devices,
      thisDevice,
      push: pushStatus(state.push, thisDevice, devices),
    })),
    on(NotificationSettingsApiActions.devicesLoadFailed, (state, { error }): NotificationSettingsState => ({
      ...state,
      error,
    })),
    on(NotificationSettingsApiActions.pushTurnedOn, (state, { endpoint }): NotificationSettingsState => ({
      ...state,
      push: 'on',
      thisDevice: endpoint,
    })),
    on(NotificationSettingsApiActions.pushFailed, (state, { error }): NotificationSettingsState => ({
      ...state,
      push: 'failed',
      error,
    })),
    on(NotificationSettingsApiActions.deviceRemoved, (state, { endpoint }): NotificationSettingsState => ({
      ...state,
      devices: state.devices?.filter((device) => device.endpoint !== endpoint) ?? null,
      ...(endpoint === state.thisDevice && { thisDevice: null, push: 'off' }),
    })),
    on(NotificationSettingsApiActions.doNotDisturbChanged, (state, { until }): NotificationSettingsState => ({
      ...state,
      doNotDisturbUntil: until,
    })),
    on(NotificationSettingsApiActions.settingFailed, (state, { error }): NotificationSettingsState => ({
      ...state,
      error,
    })),
  ),
});

/** Whether this device is among the person's subscribed devices (unless it is being set up now). */
function pushStatus(held: PushStatus, thisDevice: string | null, devices: readonly PushDevice[]): PushStatus {
  if (held === 'working') return held;
  if (thisDevice !== null && devices.some((device) => device.endpoint === thisDevice)) return 'on';
  return held === 'failed' ? held : 'off';
}

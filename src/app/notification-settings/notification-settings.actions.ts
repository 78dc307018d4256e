import { createActionGroup, emptyProps, props } from '@ngrx/store';

import type { NotifyLevel, PushDevice } from '../../../contract';

/** What the person does in the notification settings panel. */
export const SettingsPanelActions = createActionGroup({
  source: 'Settings Panel',
  events: {
    Opened: emptyProps(),
    'Level Chosen': props<{ room: string; level: NotifyLevel }>(),
    'Do Not Disturb Chosen': props<{ until: string }>(),
    'Do Not Disturb Ended': emptyProps(),
    /** The only place the Notification permission is asked for. */
    'Push Turn On Clicked': props<{ device: string }>(),
    'Device Remove Clicked': props<{ endpoint: string }>(),
  },
});

export const NotificationSettingsApiActions = createActionGroup({
  source: 'Notification Settings API',
  events: {
    /** The person's devices, and this device's endpoint when it is subscribed. */
    'Devices Loaded': props<{ devices: readonly PushDevice[]; thisDevice: string | null }>(),
    'Devices Load Failed': props<{ error: string }>(),
    'Push Turned On': props<{ endpoint: string }>(),
    'Push Failed': props<{ error: string; blocked: boolean }>(),
    'Device Removed': props<{ endpoint: string }>(),
    /** `until` null: do not disturb is off. */
    'Do Not Disturb Changed': props<{ until: string | null }>(),
    /** The server refused a change (its message), or could not be reached. */
    'Setting Failed': props<{ error: string }>(),
  },
});

import { createFeature, createReducer, on } from '@ngrx/store';

import type { NotificationPermissionState } from './browser-notifications';
import { NotificationsApiActions } from './notifications.actions';

export interface NotificationsState {
  /** `default` until asked (the user has to click "Turn on notifications on this device" in the settings). */
  readonly permission: NotificationPermissionState;
}

export const notificationsFeature = createFeature({
  name: 'notifications',
  reducer: createReducer<NotificationsState>(
    { permission: 'default' },
    on(NotificationsApiActions.permissionKnown, (_state, { permission }): NotificationsState => ({ permission })),
  ),
});

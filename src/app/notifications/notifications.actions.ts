import { createActionGroup, props } from '@ngrx/store';

import type { NotificationPermissionState } from './browser-notifications';

/** The user clicked a notification Hubbub showed: the app opens the message's address. */
export const BrowserNotificationActions = createActionGroup({
  source: 'Browser Notification',
  events: {
    Clicked: props<{ room: string; messageId: string }>(),
  },
});

export const NotificationsApiActions = createActionGroup({
  source: 'Notifications API',
  events: {
    'Permission Known': props<{ permission: NotificationPermissionState }>(),
  },
});

import { createActionGroup, emptyProps, props } from '@ngrx/store';

import type { NotificationPermissionState } from './browser-notifications';

export const NotificationsButtonActions = createActionGroup({
  source: 'Notifications Button',
  events: {
    'Turn On Clicked': emptyProps(),
  },
});

export const NotificationsApiActions = createActionGroup({
  source: 'Notifications API',
  events: {
    'Permission Known': props<{ permission: NotificationPermissionState }>(),
  },
});

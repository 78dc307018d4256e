import { DOCUMENT, inject, provideAppInitializer } from '@angular/core';
import { Store } from '@ngrx/store';

import { BrowserNotificationActions } from '../notifications/notifications.actions';

/** The service worker and the app's notices (offline, a new version), loaded once the page has loaded. */
export function provideAppWorker() {
  return provideAppInitializer(() => {
    const store = inject(Store);
    const window = inject(DOCUMENT).defaultView;
    if (!window) return;
    const start = () =>
      void import('./app-worker').then(({ startAppWorker }) =>
        startAppWorker(window, {
          openMessage: (room, messageId) => store.dispatch(BrowserNotificationActions.clicked({ room, messageId })),
        }),
      );
    if (window.document.readyState === 'complete') start();
    else window.addEventListener('load', start, { once: true });
  });
}

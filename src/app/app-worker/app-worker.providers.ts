import { DOCUMENT, inject, provideAppInitializer } from '@angular/core';
import { Actions, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { first, race, timer } from 'rxjs';

import { SessionApiActions } from '../auth/session.actions';
import { HistoryApiActions } from '../history/history.actions';
import { BrowserNotificationActions } from '../notifications/notifications.actions';

/** The longest the worker waits for the page to show what it opened with. */
const WORKER_AFTER_MS = 10_000;

/**
 * The service worker and the app's notices (offline, a new version). Started once the page has
 * loaded and shown what it opened with (the first room's messages, the sign-in page, or a failure;
 * at most {@link WORKER_AFTER_MS}): the worker's first install fetches every build file to cache
 * it, and on a slow network those downloads would compete with the first room's scripts and calls
 * for bandwidth and for the browser's connections.
 */
export function provideAppWorker() {
  return provideAppInitializer(() => {
    const store = inject(Store);
    const window = inject(DOCUMENT).defaultView;
    if (!window) return;
    const shown = new Promise<void>((resolve) =>
      race(
        inject(Actions).pipe(
          ofType(
            HistoryApiActions.historyLoaded,
            HistoryApiActions.historyFailed,
            SessionApiActions.signedOut,
            SessionApiActions.loadFailed,
          ),
        ),
        timer(WORKER_AFTER_MS),
      )
        .pipe(first())
        .subscribe(() => resolve()),
    );
    const loaded = new Promise<void>((resolve) => {
      if (window.document.readyState === 'complete') resolve();
      else window.addEventListener('load', () => resolve(), { once: true });
    });
    void Promise.all([shown, loaded])
      // A task after the frame that renders what was shown, so the worker does not delay it.
      .then(() => new Promise((resolve) => window.requestAnimationFrame(() => window.setTimeout(resolve))))
      .then(() => import('./app-worker'))
      .then(({ startAppWorker }) =>
        startAppWorker(window, {
          openMessage: (room, messageId) => store.dispatch(BrowserNotificationActions.clicked({ room, messageId })),
        }),
      );
  });
}

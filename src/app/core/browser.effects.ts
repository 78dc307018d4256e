import { DOCUMENT, inject } from '@angular/core';
import { createEffect } from '@ngrx/effects';
import { EMPTY, filter, fromEvent, map, merge } from 'rxjs';

import { BrowserActions } from './browser.actions';

/** Whether the user can see the page: unread counting pauses for the active room only while they can. */
export const trackVisibility = createEffect(
  (document = inject(DOCUMENT)) => {
    return fromEvent(document, 'visibilitychange').pipe(
      map(() => BrowserActions.visibilityChanged({ visible: document.visibilityState !== 'hidden' })),
    );
  },
  { functional: true },
);

/** The network going and coming back, and the page returning from the back-forward cache: reasons to reconnect and catch up at once. */
export const trackNetwork = createEffect(
  (document = inject(DOCUMENT)) => {
    const window = document.defaultView;
    if (!window) return EMPTY;
    return merge(
      fromEvent(window, 'online').pipe(map(() => BrowserActions.onlineChanged({ online: true }))),
      fromEvent(window, 'offline').pipe(map(() => BrowserActions.onlineChanged({ online: false }))),
      fromEvent<PageTransitionEvent>(window, 'pageshow').pipe(
        filter((event) => event.persisted),
        map(() => BrowserActions.pageRestored()),
      ),
    );
  },
  { functional: true },
);

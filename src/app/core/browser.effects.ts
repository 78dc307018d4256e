import { DOCUMENT, inject } from '@angular/core';
import { createEffect } from '@ngrx/effects';
import { fromEvent, map } from 'rxjs';

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

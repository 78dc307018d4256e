import { inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { createEffect } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { distinctUntilChanged, tap } from 'rxjs';

import { readStateFeature } from '../read-state/read-state.feature';

/** `(3) Hubbub` in the tab while there are unread messages (the server's counts, muted rooms left out). */
export const showUnreadInTitle = createEffect(
  (store = inject(Store), title = inject(Title)) => {
    return store.select(readStateFeature.selectTotalUnread).pipe(
      distinctUntilChanged(),
      tap((unread) => title.setTitle(unread > 0 ? `(${unread}) Hubbub` : 'Hubbub')),
    );
  },
  { functional: true, dispatch: false },
);

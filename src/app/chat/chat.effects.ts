import { inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { createEffect } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import { distinctUntilChanged, tap } from 'rxjs';

import { chatFeature } from './chat.feature';

/** `(3) Hubbub` in the tab while there are unread messages. */
export const showUnreadInTitle = createEffect(
  (store = inject(Store), title = inject(Title)) => {
    return store.select(chatFeature.selectTotalUnread).pipe(
      distinctUntilChanged(),
      tap((unread) => title.setTitle(unread > 0 ? `(${unread}) Hubbub` : 'Hubbub')),
    );
  },
  { functional: true, dispatch: false },
);

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { Store } from '@ngrx/store';
import { filter, map, tap } from 'rxjs';

import { AttachmentTrayActions } from '../attachments/attachments.actions';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { ChatPageActions } from '../messages/chat-page.actions';
import { DraftStorage } from './draft-storage';
import { ComposerDraftActions, DraftStorageActions } from './drafts.actions';

export const restoreDrafts = createEffect(
  (actions$ = inject(Actions), storage = inject(DraftStorage)) => {
    return actions$.pipe(
      ofType(SessionApiActions.signedIn),
      map(({ user }) => DraftStorageActions.draftsRestored({ drafts: storage.load(user.id) })),
    );
  },
  { functional: true },
);

/** Every change of a draft is stored at once (a key per room is cheap), and a sent message's draft removed. */
export const saveDrafts = createEffect(
  (actions$ = inject(Actions), store = inject(Store), storage = inject(DraftStorage)) => {
    return actions$.pipe(
      ofType(
        ComposerDraftActions.draftChanged,
        ChatPageActions.messageSent,
        AttachmentTrayActions.messageWithFilesSent,
      ),
      concatLatestFrom(() => store.select(sessionFeature.selectUser)),
      filter(([, user]) => user !== null),
      tap(([action, user]) => {
        if ('text' in action) storage.save(user!.id, action.room, action.text);
        else storage.save(user!.id, action.message.room, '');
      }),
    );
  },
  { functional: true, dispatch: false },
);

import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { concatLatestFrom } from '@ngrx/operators';
import { type Action, Store } from '@ngrx/store';
import {
  catchError,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  EMPTY,
  filter,
  from,
  last,
  map,
  merge,
  mergeMap,
  type Observable,
  of,
  switchMap,
  takeUntil,
  tap,
} from 'rxjs';

import type { UploadResponse } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { apiErrorOf } from '../core/api-client';
import { browserOnline } from '../core/browser-online';
import { AttachmentFiles } from './attachment-files';
import { AttachmentsOutboxActions, AttachmentTrayActions, UploadsApiActions } from './attachments.actions';
import { attachmentsFeature } from './attachments.feature';
import { AttachmentsStorage } from './attachments-storage';
import { ImagePreviews } from './image-preview';
import type { UploadItem } from './upload-item';
import { UploadsApi } from './uploads-api';

const INLINE_IMAGE = /^image\/(png|jpeg|gif|webp)$/;

/** `photo.png` → `photo-thumbnail.jpg`: a name whose extension says what the thumbnail is. */
function thumbnailName(name: string): string {
  const base = name.replace(/\.[^.]*$/, '').slice(0, 150) || 'image';
  return `${base}-thumbnail.jpg`;
}

/**
 * One file to Blob Storage: measure it (and store a thumbnail first, for a large image), ask for a
 * write URL, PUT the bytes with progress, then have the server check what was stored. Every attempt asks for a new URL, so a retry never meets
 * an expired one or a half-known earlier try. Errors end as `Failed` with the reason.
 */
function upload(api: UploadsApi, previews: ImagePreviews, item: UploadItem, file: Blob): Observable<Action> {
  const { key, room, name, size, type } = item;
  const putFile = (issued: UploadResponse): Observable<Action> =>
    concat(
      of(UploadsApiActions.started({ key, uploadId: issued.uploadId })),
      api
        .put(issued.url, file, type)
        .pipe(
          concatMap((progress) =>
            progress.done
              ? api.complete(room, issued.uploadId).pipe(map(() => UploadsApiActions.stored({ key })))
              : of(UploadsApiActions.progressed({ key, loaded: progress.loaded })),
          ),
        ),
    );
  const prepare: Observable<Action> = INLINE_IMAGE.test(type)
    ? from(previews.preview(file)).pipe(
        mergeMap((preview) => {
          if (!preview) return EMPTY;
          const { width, height, thumbnail } = preview;
          if (!thumbnail) return of(UploadsApiActions.prepared({ key, width, height }));
          return api.request(room, { name: thumbnailName(name), size: thumbnail.size, type: 'image/jpeg' }).pipe(
            mergeMap((issued) =>
              api.put(issued.url, thumbnail, 'image/jpeg').pipe(
                last(),
                concatMap(() => api.complete(room, issued.uploadId)),
                map(() => UploadsApiActions.prepared({ key, width, height, thumbnailId: issued.uploadId })),
              ),
            ),
          );
        }),
      )
    : EMPTY;
  return concat(
    prepare,
    defer(() => api.request(room, { name, size, type: type as never })).pipe(mergeMap(putFile)),
  ).pipe(
    catchError((error: unknown) => {
      const failure = apiErrorOf(error);
      return of(
        UploadsApiActions.failed({
          key,
          error: failure.status === 0 ? 'The connection was lost while uploading' : failure.message,
          retryable: failure.transient,
        }),
      );
    }),
  );
}

/**
 * Uploads every attached file at once (mergeMap: files are independent), each until it is stored,
 * fails, or the user cancels or removes it (which aborts its request). Retry, and the browser coming
 * back online for files that failed for want of a connection, start the file over.
 */
export const uploadFiles = createEffect(
  (
    actions$ = inject(Actions),
    store = inject(Store),
    api = inject(UploadsApi),
    previews = inject(ImagePreviews),
    files = inject(AttachmentFiles),
  ) => {
    const stopped = (key: string) =>
      actions$.pipe(
        ofType(AttachmentTrayActions.cancelClicked, AttachmentTrayActions.removeClicked),
        filter((action) => action.key === key),
      );
    return merge(
      actions$.pipe(
        ofType(AttachmentTrayActions.filesAttached),
        mergeMap(({ items }) => items.filter((item) => item.status === 'preparing').map((item) => item.key)),
      ),
      actions$.pipe(
        ofType(AttachmentTrayActions.retryClicked),
        map(({ key }) => key),
      ),
      actions$.pipe(
        ofType(AttachmentTrayActions.fileChosenAgain),
        filter(({ error }) => error === undefined),
        map(({ key }) => key),
      ),
      actions$.pipe(
        ofType(UploadsApiActions.retryAfterReconnect),
        mergeMap(({ keys }) => keys),
      ),
    ).pipe(
      concatLatestFrom(() => store.select(attachmentsFeature.selectItems)),
      mergeMap(([key, items]) => {
        const item = items.entities[key];
        const file = files.get(key);
        if (!item) return EMPTY;
        if (!file) {
          return of(
            UploadsApiActions.failed({ key, error: 'This file is no longer here — attach it again', retryable: false }),
          );
        }
        return upload(api, previews, item, file).pipe(takeUntil(stopped(key)));
      }),
    );
  },
  { functional: true },
);

/** Coming back online retries the uploads that failed for want of a connection (and whose File is still here). */
export const retryUploadsWhenOnline = createEffect(
  (store = inject(Store), files = inject(AttachmentFiles), online$: Observable<unknown> = browserOnline()) => {
    return online$.pipe(
      concatLatestFrom(() => store.select(attachmentsFeature.selectAllItems)),
      map(([, items]) =>
        items
          .filter((item) => item.status === 'failed' && item.retryable && files.has(item.key))
          .map((item) => item.key),
      ),
      filter((keys) => keys.length > 0),
      map((keys) => UploadsApiActions.retryAfterReconnect({ keys })),
    );
  },
  { functional: true },
);

/**
 * A message the user sent with files goes to the outbox once, and only once all its files are
 * stored (the reducer forgets it as it is released, so it cannot be released twice).
 */
export const releaseMessages = createEffect(
  (actions$ = inject(Actions), store = inject(Store)) => {
    return actions$.pipe(
      ofType(
        AttachmentTrayActions.messageWithFilesSent,
        AttachmentTrayActions.removeClicked,
        AttachmentTrayActions.cancelClicked,
        UploadsApiActions.stored,
        AttachmentsOutboxActions.restored,
      ),
      concatLatestFrom(() => store.select(attachmentsFeature.selectReleasable)),
      mergeMap(([, messages]) => messages.map((message) => AttachmentsOutboxActions.messageReleased({ message }))),
    );
  },
  { functional: true },
);

/** A File is let go once it is stored, or its upload cancelled or removed. */
export const forgetFiles = createEffect(
  (actions$ = inject(Actions), files = inject(AttachmentFiles)) => {
    return actions$.pipe(
      ofType(AttachmentTrayActions.cancelClicked, AttachmentTrayActions.removeClicked, UploadsApiActions.stored),
      tap(({ key }) => files.delete(key)),
    );
  },
  { functional: true, dispatch: false },
);

/** Brings back uploads and waiting messages from before the page was last closed. */
export const restoreUploads = createEffect(
  (actions$ = inject(Actions), storage = inject(AttachmentsStorage)) => {
    return actions$.pipe(
      ofType(SessionApiActions.signedIn),
      map(({ user }) => AttachmentsOutboxActions.restored(storage.load(user.id))),
    );
  },
  { functional: true },
);

/** Keeps uploads (not their progress) and waiting messages in localStorage. */
export const persistUploads = createEffect(
  (actions$ = inject(Actions), store = inject(Store), storage = inject(AttachmentsStorage)) => {
    return actions$.pipe(
      ofType(AttachmentsOutboxActions.restored),
      concatLatestFrom(() => store.select(sessionFeature.selectUser)),
      switchMap(([, user]) =>
        store.select(attachmentsFeature.selectAttachmentsState).pipe(
          map((state) => ({
            items: Object.values(state.items.entities).filter((item): item is UploadItem => !!item),
            waiting: Object.values(state.waiting),
          })),
          distinctUntilChanged(
            (a, b) =>
              JSON.stringify([a.items.map(({ loaded: _l, ...rest }) => rest), a.waiting]) ===
              JSON.stringify([b.items.map(({ loaded: _l, ...rest }) => rest), b.waiting]),
          ),
          tap((uploads) => {
            if (user) storage.save(user.id, uploads);
          }),
        ),
      ),
    );
  },
  { functional: true, dispatch: false },
);

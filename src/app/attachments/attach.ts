import { inject, Injectable } from '@angular/core';
import { Store } from '@ngrx/store';

import { declaredAttachmentType, MAX_ATTACHMENTS_PER_MESSAGE } from '../../../contract';
import { newMessageId } from '../messages/message-id';
import { AttachmentFiles } from './attachment-files';
import { AttachmentTrayActions } from './attachments.actions';
import { attachmentsFeature } from './attachments.feature';
import { refusal, type UploadItem } from './upload-item';

/**
 * Files the user attached (button, drop or paste) to the composer of `room`. Each becomes an upload
 * that starts at once; one the server would refuse (size, type, name, one too many) shows as failed
 * with the server's words and is never sent.
 */
@Injectable({ providedIn: 'root' })
export class Attach {
  private readonly store = inject(Store);
  private readonly files = inject(AttachmentFiles);
  private readonly drafts = this.store.selectSignal(attachmentsFeature.selectAllItems);

  attach(room: string, files: readonly File[]): void {
    if (files.length === 0) return;
    let count = this.drafts().filter((item) => item.room === room && item.messageId === undefined).length;
    const items = files.map((file): UploadItem => {
      const key = newMessageId();
      // Pasted screenshots arrive without a useful name in some browsers.
      const name = file.name || `pasted-image.${file.type.split('/')[1] ?? 'png'}`;
      const type = declaredAttachmentType(file.type);
      const base = { key, room, name, size: file.size, type, loaded: 0 };
      const refused =
        refusal({ name, size: file.size, type }) ??
        (count >= MAX_ATTACHMENTS_PER_MESSAGE
          ? `A message can carry at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`
          : null);
      if (refused) return { ...base, status: 'failed', error: refused, retryable: false };
      count++;
      this.files.add(key, file);
      return { ...base, status: 'preparing' };
    });
    this.store.dispatch(AttachmentTrayActions.filesAttached({ items }));
  }

  /** The file of upload `key` chosen again (its File was lost with a reload): it uploads in the same place. */
  chooseAgain(key: string, file: File): void {
    const { name, size } = file;
    const type = declaredAttachmentType(file.type);
    const refused = refusal({ name, size, type });
    if (!refused) this.files.add(key, file);
    this.store.dispatch(
      AttachmentTrayActions.fileChosenAgain({ key, name, size, mimeType: type, ...(refused && { error: refused }) }),
    );
  }
}

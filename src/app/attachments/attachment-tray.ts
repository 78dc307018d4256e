import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Store } from '@ngrx/store';

import { Attach } from './attach';
import { AttachmentFiles } from './attachment-files';
import { AttachmentTrayActions } from './attachments.actions';
import { attachmentsFeature } from './attachments.feature';
import { fileSize } from './file-size';
import type { UploadItem } from './upload-item';

/**
 * Above the message box: the files attached to the next message, and the messages already sent that
 * wait for their files, each file with its progress, Cancel while it uploads, and when it failed the
 * reason with Retry (when the file is still here, else Choose again) and Remove.
 */
@Component({
  selector: 'hb-attachment-tray',
  imports: [NgTemplateOutlet],
  templateUrl: './attachment-tray.html',
  styleUrl: './attachment-tray.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AttachmentTray {
  private readonly store = inject(Store);
  private readonly files = inject(AttachmentFiles);
  private readonly attach = inject(Attach);
  protected readonly drafts = this.store.selectSignal(attachmentsFeature.selectActiveDrafts);
  protected readonly waiting = this.store.selectSignal(attachmentsFeature.selectActiveWaiting);
  protected readonly fileSize = fileSize;

  /** A refusal (too big, wrong bytes) would only be refused again: the person removes or replaces the file. */
  protected canRetry(item: UploadItem): boolean {
    return item.status === 'failed' && item.retryable !== false && this.files.has(item.key);
  }

  protected percent(item: UploadItem): number {
    return item.size > 0 ? Math.round((item.loaded / item.size) * 100) : 0;
  }

  protected cancel(item: UploadItem): void {
    this.store.dispatch(AttachmentTrayActions.cancelClicked({ key: item.key }));
  }

  protected retry(item: UploadItem): void {
    this.store.dispatch(AttachmentTrayActions.retryClicked({ key: item.key }));
  }

  protected chooseAgain(item: UploadItem, event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.attach.chooseAgain(item.key, file);
  }

  protected remove(item: UploadItem): void {
    this.store.dispatch(AttachmentTrayActions.removeClicked({ key: item.key }));
  }
}

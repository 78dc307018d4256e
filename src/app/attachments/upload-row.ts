import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import { fileSize } from './file-size';
import type { UploadItem } from './upload-item';

/** One file in the attachment tray: name and size, progress with Cancel, or why it failed with Retry or Choose again, and Remove. */
@Component({
  // An attribute on the tray's <li>: the list keeps list items as its children.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'li[hbUploadRow]',
  host: {
    class: 'file',
    'data-testid': 'upload',
    '[attr.data-status]': 'item().status',
    '[attr.data-name]': 'item().name',
  },
  templateUrl: './upload-row.html',
  styleUrl: './upload-row.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UploadRow {
  readonly item = input.required<UploadItem>();
  /** The failed file is still here to send again (else the person chooses it again). */
  readonly retryable = input(false);
  readonly cancelUpload = output<void>();
  readonly retryUpload = output<void>();
  readonly removeUpload = output<void>();
  readonly chooseAgain = output<File>();
  protected readonly fileSize = fileSize;

  /** A refusal (too big, wrong bytes) would only be refused again: the person removes or replaces the file. */
  protected canRetry(): boolean {
    return this.item().status === 'failed' && this.item().retryable !== false && this.retryable();
  }

  protected percent(): number {
    const { loaded, size } = this.item();
    return size > 0 ? Math.round((loaded / size) * 100) : 0;
  }

  protected pickAgain(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.chooseAgain.emit(file);
  }
}

import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import type { ChatMessage } from '../messages/chat-message';
import type { UploadItem } from './upload-item';
import { UploadRow } from './upload-row';

/** A message already sent that waits for its files. */
export interface WaitingEntry {
  readonly message: ChatMessage;
  readonly items: readonly UploadItem[];
}

/**
 * Above the message box: the files attached to the next message, and the messages already sent that
 * wait for their files, each file with its progress, Cancel while it uploads, and when it failed the
 * reason with Retry (when the file is still here, else Choose again) and Remove. It presents only:
 * it loads apart from the app (message-composer.ts), so it imports no store, service or `@angular/common`
 * (a lazy chunk that does splits the app's initial code in two, which downloads larger).
 */
@Component({
  selector: 'hb-attachment-tray',
  imports: [UploadRow],
  templateUrl: './attachment-tray.html',
  styleUrl: './attachment-tray.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AttachmentTray {
  readonly drafts = input.required<readonly UploadItem[]>();
  readonly waiting = input.required<readonly WaitingEntry[]>();
  /** Whether the file of a failed upload is still here to send again. */
  readonly hasFile = input.required<(key: string) => boolean>();
  readonly cancelUpload = output<UploadItem>();
  readonly retryUpload = output<UploadItem>();
  readonly removeUpload = output<UploadItem>();
  readonly chooseAgain = output<{ readonly item: UploadItem; readonly file: File }>();
}

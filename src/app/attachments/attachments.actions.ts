import { createActionGroup, props } from '@ngrx/store';

import type { ChatMessage } from '../messages/chat-message';
import type { UploadItem } from './upload-item';

/** What the user did with files: attached (button, drop, paste), sent with a caption, cancelled, retried, removed. */
export const AttachmentTrayActions = createActionGroup({
  source: 'Attachment Tray',
  events: {
    'Files Attached': props<{ items: readonly UploadItem[] }>(),
    /** The composer's message (its caption) goes out once every file attached to it is stored. */
    'Message With Files Sent': props<{ message: ChatMessage }>(),
    'Cancel Clicked': props<{ key: string }>(),
    'Retry Clicked': props<{ key: string }>(),
    'Remove Clicked': props<{ key: string }>(),
    /** The user chose the file again for an upload whose File is gone (a reload): it starts over, or `error` says why not. */
    'File Chosen Again': props<{ key: string; name: string; size: number; mimeType: string; error?: string }>(),
  },
});

/** How an upload goes. */
export const UploadsApiActions = createActionGroup({
  source: 'Uploads API',
  events: {
    /** Measured (images) and, for a large image, its thumbnail stored. */
    Prepared: props<{ key: string; width?: number; height?: number; thumbnailId?: string }>(),
    Started: props<{ key: string; uploadId: string }>(),
    Progressed: props<{ key: string; loaded: number }>(),
    Stored: props<{ key: string }>(),
    Failed: props<{ key: string; error: string; retryable: boolean }>(),
    /** The browser is online again: uploads that failed for want of a connection start over. */
    'Retry After Reconnect': props<{ keys: readonly string[] }>(),
  },
});

export const AttachmentsOutboxActions = createActionGroup({
  source: 'Attachments Outbox',
  events: {
    /** Uploads (and messages waiting for them) kept from before a reload. */
    Restored: props<{ items: readonly UploadItem[]; waiting: readonly ChatMessage[] }>(),
    /** Every file of the message is stored: it goes to the outbox now (carrying `attachments`). */
    'Message Released': props<{ message: ChatMessage }>(),
  },
});

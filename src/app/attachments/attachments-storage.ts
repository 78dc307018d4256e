import { inject, Injectable } from '@angular/core';
import * as v from 'valibot';

import { guard, MessageSchema } from '../../../contract';
import { LOCAL_STORAGE } from '../core/local-storage';
import type { ChatMessage } from '../messages/chat-message';
import type { UploadItem } from './upload-item';

const KEY_PREFIX = 'hubbub.uploads.';

const StoredItemSchema = v.object({
  key: v.string(),
  room: v.string(),
  name: v.string(),
  size: v.number(),
  type: v.string(),
  status: v.picklist(['preparing', 'uploading', 'stored', 'failed']),
  error: v.optional(v.string()),
  uploadId: v.optional(v.string()),
  thumbnailId: v.optional(v.string()),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
  messageId: v.optional(v.string()),
});
const isItem = guard(StoredItemSchema);
const isMessage = guard(MessageSchema);

export interface StoredUploads {
  readonly items: readonly UploadItem[];
  readonly waiting: readonly ChatMessage[];
}

/** What the page closed before it was stored cannot be sent: its bytes went with the page. */
export const NOT_STORED_BEFORE_RELOAD = 'The page was closed before this file finished uploading — choose it again';

/**
 * Uploads and the messages waiting for them, kept across reloads per signed-in user (one key per
 * user; one tab's state, the last one written wins — several tabs uploading at once is rare).
 * Stored files come back ready to send; files that were still on their way come back failed.
 */
@Injectable({ providedIn: 'root' })
export class AttachmentsStorage {
  private readonly storage = inject(LOCAL_STORAGE);

  load(userId: string): StoredUploads {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.storage?.getItem(KEY_PREFIX + userId) ?? '{}');
    } catch {
      return { items: [], waiting: [] };
    }
    const { items, waiting } = (parsed ?? {}) as { items?: unknown; waiting?: unknown };
    return {
      items: (Array.isArray(items) ? items.filter(isItem) : []).map((item): UploadItem =>
        item.status === 'stored'
          ? { ...item, loaded: item.size }
          : { ...item, status: 'failed', loaded: 0, error: NOT_STORED_BEFORE_RELOAD, retryable: false },
      ),
      waiting: (Array.isArray(waiting) ? waiting.filter(isMessage) : []).map((message) => ({
        ...message,
        status: 'pending' as const,
      })),
    };
  }

  save(userId: string, uploads: StoredUploads): void {
    try {
      if (uploads.items.length === 0 && uploads.waiting.length === 0) {
        this.storage?.removeItem(KEY_PREFIX + userId);
        return;
      }
      this.storage?.setItem(
        KEY_PREFIX + userId,
        JSON.stringify({
          items: uploads.items.map(({ loaded: _loaded, retryable: _retryable, ...item }) => item),
          waiting: uploads.waiting.map(({ status: _status, retryable: _retryable, ...message }) => message),
        }),
      );
    } catch {
      // Quota or privacy settings: uploads still work for this page's lifetime.
    }
  }
}

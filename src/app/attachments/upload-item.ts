import {
  ALLOWED_ATTACHMENT_TYPES,
  type Attachment,
  check,
  MAX_ATTACHMENT_BYTES,
  UploadRequestSchema,
} from '../../../contract';

/**
 * One file on its way to Blob Storage. `key` is this browser's name for it (the File itself stays in
 * {@link AttachmentFiles}, out of the store); `uploadId` the server's, once it issued a write URL.
 * `messageId` is set once the user sent the message it belongs to; until then it is in the composer.
 */
export interface UploadItem {
  readonly key: string;
  readonly room: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly status: 'preparing' | 'uploading' | 'stored' | 'failed';
  /** Bytes sent so far (of `size`). */
  readonly loaded: number;
  readonly error?: string;
  /** A failure that trying again may cure (no connection, the server failed, the URL expired). */
  readonly retryable?: boolean;
  readonly uploadId?: string;
  readonly thumbnailId?: string;
  readonly width?: number;
  readonly height?: number;
  readonly messageId?: string;
}

/** What the message carries of a stored upload. */
export function attachmentOf(item: UploadItem): Attachment {
  return {
    id: item.uploadId ?? item.key,
    name: item.name,
    size: item.size,
    type: item.type,
    ...(item.width !== undefined && { width: item.width }),
    ...(item.height !== undefined && { height: item.height }),
    ...(item.thumbnailId !== undefined && { thumbnail: item.thumbnailId }),
  };
}

/**
 * Why the server would refuse this file, in the words it would use (the contract's schema and
 * limits), or null: checked before anything is uploaded.
 */
export function refusal(file: { readonly name: string; readonly size: number; readonly type: string }): string | null {
  if (file.size > MAX_ATTACHMENT_BYTES) return `A file can be at most ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB`;
  const checked = check(UploadRequestSchema, { name: file.name, size: file.size, type: file.type });
  return checked.ok ? null : checked.message;
}

export function isAllowedType(type: string): boolean {
  return ALLOWED_ATTACHMENT_TYPES.some((allowed) => allowed === type);
}

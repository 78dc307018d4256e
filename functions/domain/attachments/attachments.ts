/**
 * Attachments: files a message carries, stored as blobs of the private `attachments` container and
 * reached only through short-lived SAS URLs this module issues.
 *
 * 1. An upload: a member declares `{ name, size, type }`; the row `uploads(<room>, <upload id>)`
 *    records who may use it for what, and the write URL may create exactly the blob
 *    `<room>/<upload id>/<safe name>` before it expires, nothing else.
 * 2. A message names its uploads: each must be this sender's, of this room, stored with exactly the
 *    declared size and type. The rows are then marked with the message id (a retry of the same
 *    message passes again; another message is refused) and the metadata is stored on the message.
 *    Checking only reads, so it runs alongside the message's other checks; marking is a separate
 *    step the sender takes once the message is otherwise accepted (a marked upload is no longer
 *    swept, and no other message may carry it).
 * 3. A read: a member of the room gets a read URL that serves the stored type, as a download unless
 *    it is an image a browser only shows; never HTML, SVG or script.
 * 4. Deleting the message deletes its blobs and rows (best effort, after the message changed).
 * 5. An upload no message took within UNSENT_UPLOAD_TTL_MS of its write URL expiring is swept:
 *    every new upload in a room first deletes the room's abandoned ones (their rows are marked
 *    `pending`, so the query returns only those), and the daily `sweepUploads` timer sweeps every
 *    room, so a room nobody uploads to again does not keep its abandoned files either.
 */
import { randomUUID } from 'node:crypto';

import { lookup } from 'mime-types';

import {
  type Attachment,
  type AttachmentRef,
  INLINE_ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_THUMBNAIL_BYTES,
  READ_URL_TTL_MS,
  UNSENT_UPLOAD_TTL_MS,
  UPLOAD_URL_TTL_MS,
  type UploadRequest,
  type UploadResponse,
} from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { allInOrder } from '../../platform/http/in-order';
import { conflict, errorResponse, forbidden, HttpError, notFound } from '../../platform/http/responses';
import { blobs, blobStorage, isMissingBlob } from '../../platform/storage/blobs';
import { isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import { findMessage } from '../messages/room-log';

type UploadEntity = {
  partitionKey: string;
  rowKey: string;
  uploaderId: string;
  name: string;
  size: number;
  type: string;
  blobName: string;
  expiresAt: string;
  /** True until a message carries it: what the sweep of abandoned uploads looks for. */
  pending?: boolean;
  /** The message that carries it, once sent. */
  messageId?: string;
};

interface Upload {
  readonly entity: UploadEntity;
  readonly etag: string;
}

/** Refuses a declared upload that breaks the limits (413 size, 400 type vs name); records it and signs its write URL. */
export async function issueUpload(
  room: string,
  user: Principal,
  request: UploadRequest,
  log: (message: string) => void = () => undefined,
): Promise<UploadResponse> {
  if (request.size > MAX_ATTACHMENT_BYTES) {
    throw new HttpError(
      errorResponse(413, 'payload_too_large', `A file can be at most ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB`),
    );
  }
  if (lookup(request.name) !== request.type) {
    throw new HttpError(
      errorResponse(400, 'validation_failed', `The file name's extension does not match the type ${request.type}`),
    );
  }
  const uploadId = randomUUID();
  const expiresAt = new Date(Date.now() + UPLOAD_URL_TTL_MS);
  const entity: UploadEntity = {
    partitionKey: room,
    rowKey: uploadId,
    uploaderId: user.id,
    name: request.name,
    size: request.size,
    type: request.type,
    blobName: `${room}/${uploadId}/${safeName(request.name)}`,
    expiresAt: expiresAt.toISOString(),
    pending: true,
  };
  const access = await blobs();
  await sweepAbandonedUploads(room, Date.now(), log);
  await storage(async () => (await table('uploads')).createEntity(entity));
  const url = await access.sasUrl(entity.blobName, { permissions: 'c', expiresOn: expiresAt });
  return { uploadId, url, expiresAt: entity.expiresAt, maxBytes: request.size };
}

export interface CheckedUploads {
  /** Marks every upload as the message's and returns the attachments the message stores. */
  claim(): Promise<Attachment[]>;
}

/**
 * Checks the uploads that message `messageId` names: every upload (and thumbnail) must be the
 * sender's, of this room, stored with its declared size and type, and not carried by another
 * message. Reads only: {@link CheckedUploads.claim} marks them as this message's (repeating both for
 * the same message passes again). Refusals come in the order of the refs, files before thumbnails.
 */
export async function checkUploads(
  room: string,
  user: Principal,
  messageId: string,
  refs: readonly AttachmentRef[],
): Promise<CheckedUploads> {
  const [files, thumbnails] = await allInOrder([
    allInOrder(refs.map((ref) => usable(room, user, messageId, ref.id))),
    allInOrder(
      refs.map((ref) =>
        ref.thumbnail === undefined ? Promise.resolve(undefined) : usable(room, user, messageId, ref.thumbnail),
      ),
    ),
  ]);
  for (const thumbnail of thumbnails) {
    if (!thumbnail) continue;
    if (!INLINE_ATTACHMENT_TYPES.some((type) => type === thumbnail.entity.type)) {
      throw new HttpError(conflict('A thumbnail must be a PNG, JPEG, GIF or WebP image'));
    }
    if (thumbnail.entity.size > MAX_THUMBNAIL_BYTES) {
      throw new HttpError(
        errorResponse(413, 'payload_too_large', `A thumbnail can be at most ${MAX_THUMBNAIL_BYTES / 1024} KB`),
      );
    }
  }
  return {
    claim: async () => {
      for (const upload of [...files, ...thumbnails]) if (upload) await markUsed(upload, messageId);
      return refs.map((ref, i) => ({
        id: ref.id,
        name: files[i].entity.name,
        size: files[i].entity.size,
        type: files[i].entity.type,
        ...(ref.width !== undefined && { width: ref.width }),
        ...(ref.height !== undefined && { height: ref.height }),
        ...(ref.thumbnail !== undefined && { thumbnail: ref.thumbnail }),
      }));
    },
  };
}

async function usable(room: string, user: Principal, messageId: string, id: string): Promise<Upload> {
  const upload = await readUpload(room, id);
  if (!upload) throw new HttpError(notFound(`No upload ${id} in ${room}`));
  const { entity } = upload;
  if (entity.uploaderId !== user.id) throw new HttpError(forbidden(`Upload ${id} is someone else's`));
  if (entity.messageId !== undefined && entity.messageId !== messageId) {
    throw new HttpError(conflict(`${entity.name} is already attached to another message`));
  }
  if (entity.messageId === undefined && abandoned(entity, Date.now())) {
    throw new HttpError(conflict(`${entity.name} was uploaded too long ago and is being removed: attach it again`));
  }
  const access = await blobs();
  let properties;
  try {
    properties = await blobStorage(() => access.container.getBlobClient(entity.blobName).getProperties());
  } catch (err) {
    if (isMissingBlob(err)) throw new HttpError(conflict(`${entity.name} is not stored yet: upload it first`));
    throw err;
  }
  if (properties.contentLength !== entity.size) {
    throw new HttpError(
      conflict(`${entity.name} is stored with ${properties.contentLength ?? 0} bytes, not the ${entity.size} declared`),
    );
  }
  if (properties.contentType !== entity.type) {
    throw new HttpError(
      conflict(`${entity.name} is stored as ${properties.contentType ?? 'no type'}, not ${entity.type}`),
    );
  }
  return upload;
}

async function markUsed(upload: Upload, messageId: string): Promise<void> {
  if (upload.entity.messageId === messageId) return;
  try {
    await storage(async () =>
      (await table('uploads')).updateEntity({ ...upload.entity, messageId, pending: false }, 'Replace', {
        etag: upload.etag,
      }),
    );
  } catch (err) {
    if (!isPreconditionFailed(err)) throw err;
    // Changed since it was read: only this same message may have taken it.
    const now = await readUpload(upload.entity.partitionKey, upload.entity.rowKey);
    if (now?.entity.messageId !== messageId) {
      throw new HttpError(conflict(`${upload.entity.name} is already attached to another message`));
    }
  }
}

export interface ReadUrl {
  readonly url: string;
  readonly expiresAt: string;
}

/**
 * A read URL for an attachment of the room (the caller is a member): of a message that is there
 * and not deleted, or the caller's own upload not sent yet. 404 otherwise.
 */
export async function readUrl(room: string, user: Principal, id: string): Promise<ReadUrl> {
  const upload = await readUpload(room, id);
  const readable =
    upload &&
    (upload.entity.messageId === undefined
      ? upload.entity.uploaderId === user.id
      : await carried(room, upload.entity.messageId, id));
  if (!upload || !readable) throw new HttpError(notFound(`No attachment ${id} in ${room}`));
  const { entity } = upload;
  const expiresOn = new Date(Date.now() + READ_URL_TTL_MS);
  const inline = INLINE_ATTACHMENT_TYPES.some((type) => type === entity.type);
  const url = await (
    await blobs()
  ).sasUrl(entity.blobName, {
    permissions: 'r',
    expiresOn,
    contentType: entity.type,
    contentDisposition: `${inline ? 'inline' : 'attachment'}; ${filenameParameters(entity.name)}`,
  });
  return { url, expiresAt: expiresOn.toISOString() };
}

async function carried(room: string, messageId: string, id: string): Promise<boolean> {
  const message = await findMessage(room, messageId);
  return !!message && !message.deleted && !!message.attachments?.some((a) => a.id === id || a.thumbnail === id);
}

/** Deletes the blobs and rows of a deleted message's attachments; a failure is logged, not surfaced. */
export async function deleteAttachments(
  room: string,
  attachments: readonly Attachment[],
  log: (message: string) => void,
): Promise<void> {
  const ids = attachments.flatMap((a) => [a.id, ...(a.thumbnail === undefined ? [] : [a.thumbnail])]);
  await Promise.all(
    ids.map(async (id) => {
      try {
        const upload = await readUpload(room, id);
        if (!upload) return;
        const access = await blobs();
        await blobStorage(() => access.container.getBlobClient(upload.entity.blobName).deleteIfExists());
        await storage(async () => (await table('uploads')).deleteEntity(room, id));
      } catch (err) {
        log(`attachment ${room}/${id} was not deleted: ${err instanceof Error ? err.message : String(err)}`);
      }
    }),
  );
}

function abandoned(entity: UploadEntity, now: number): boolean {
  return Date.parse(entity.expiresAt) + UNSENT_UPLOAD_TTL_MS < now;
}

/**
 * Deletes the room's uploads (every room's, for `room` undefined: one query across partitions,
 * which the daily timer can afford) that no message took and whose write URL expired more than
 * UNSENT_UPLOAD_TTL_MS before `now`: blob first, then the row (a row left by a failure is swept
 * again next time). Failures are logged; the upload being issued goes ahead regardless.
 */
export async function sweepAbandonedUploads(
  room: string | undefined,
  now: number,
  log: (message: string) => void,
): Promise<number> {
  const cutoff = new Date(now - UNSENT_UPLOAD_TTL_MS).toISOString();
  let swept = 0;
  try {
    const client = await table('uploads');
    const access = await blobs();
    const rows = client.listEntities<UploadEntity>({
      queryOptions: {
        filter: `${room === undefined ? '' : `PartitionKey eq '${odata(room)}' and `}pending eq true and expiresAt lt '${odata(cutoff)}'`,
      },
    });
    for await (const row of rows) {
      if (row.messageId !== undefined || !abandoned(row, now)) continue;
      await blobStorage(() => access.container.getBlobClient(row.blobName).deleteIfExists());
      await storage(() => client.deleteEntity(row.partitionKey, row.rowKey, { etag: row.etag }));
      swept++;
    }
  } catch (err) {
    log(
      `abandoned uploads of ${room ?? 'every room'} were not all swept: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return swept;
}

async function readUpload(room: string, id: string): Promise<Upload | undefined> {
  const client = await table('uploads');
  try {
    const found = await storage(() => client.getEntity<UploadEntity>(room, id));
    const {
      etag,
      timestamp: _timestamp,
      'odata.metadata': _metadata,
      ...entity
    } = found as typeof found & {
      timestamp?: string;
      'odata.metadata'?: string;
    };
    return { entity, etag };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The name as a blob path segment: letters, digits, `.`, `-`, `_`; the extension kept. */
export function safeName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-100);
  return safe === '' ? 'file' : safe;
}

/** `filename="…"` (ASCII fallback) and `filename*=UTF-8''…` (the real name), for Content-Disposition. */
function filenameParameters(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

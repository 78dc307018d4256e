/**
 * Attachments: files a message carries, stored as blobs of the private `attachments` container and
 * reached only through short-lived SAS URLs this module issues.
 *
 * 1. An upload: a member declares `{ name, size, type }`; the row `uploads(<room>, <upload id>)`
 *    records who may use it for what, and the write URL may create exactly the blob
 *    `<room>/<upload id>/<safe name>` before it expires, nothing else.
 * 2. The stored blob is checked against the declaration: exactly the declared size and type, no
 *    Content-Encoding, and its first bytes the declared type's signature (signatures.ts). Nothing in
 *    a SAS can bound what is PUT, so the check comes as soon as the server can make it: when the
 *    SPA reports the PUT done (`complete`), when a message names the upload, and in the sweep once
 *    the write URL has expired (whoever never calls `complete`). A blob that fails is deleted at
 *    once with its row; one that passes is marked `verified` and not read again.
 * 3. A message names its uploads: each must be this sender's, of this room, and pass (2). The rows
 *    are then marked with the message id (a retry of the same message passes again; another message
 *    is refused) and the metadata is stored on the message. Checking writes only to delete a bad
 *    file, so it runs alongside the message's other checks; marking is a separate step the sender
 *    takes once the message is otherwise accepted (a marked upload is no longer swept, and no other
 *    message may carry it).
 * 4. A read: a member of the room gets a read URL that serves the stored type, as a download unless
 *    it is a verified image a browser only shows; never HTML, SVG or script; never cached.
 * 5. Deleting the message deletes its blobs (with any snapshots) and rows (best effort, after the
 *    message changed).
 * 6. An upload no message took within UNSENT_UPLOAD_TTL_MS of its write URL expiring is swept:
 *    every new upload in a room first deletes the room's abandoned ones (their rows are marked
 *    `pending`, so the query returns only those), and the `sweepUploads` timer sweeps every room,
 *    so a room nobody uploads to again does not keep its abandoned files either. One row that fails
 *    is logged and counted; the sweep goes on with the next.
 */
import { randomUUID } from 'node:crypto';

import type { ContainerClient } from '@azure/storage-blob';
import { lookup } from 'mime-types';

import {
  type Attachment,
  type AttachmentRef,
  INLINE_ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_THUMBNAIL_BYTES,
  PLAYABLE_ATTACHMENT_TYPES,
  READ_URL_CACHE_CONTROL,
  READ_URL_TTL_MS,
  UNSENT_UPLOAD_TTL_MS,
  UPLOAD_URL_TTL_MS,
  type UploadComplete,
  type UploadRequest,
  type UploadResponse,
  withoutHiddenCharacters,
} from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { allInOrder } from '../../platform/http/in-order';
import { conflict, errorResponse, forbidden, HttpError, notFound } from '../../platform/http/responses';
import { blobs, blobStorage, deleteBlobAndSnapshots, isMissingBlob } from '../../platform/storage/blobs';
import { isNotFound, isPreconditionFailed, odata, storage, table } from '../../platform/storage/tables';
import { findMessage } from '../messages/room-log';
import { matchesSignature, SIGNATURE_BYTES } from './signatures';

/**
 * What is known of an upload's blob: `unchecked` until the server looked; `verified` once it was
 * found as declared (it cannot change after: the write URL cannot overwrite); `absent` when it was
 * still not there after its write URL expired (a PUT that started in time may yet land: looked at
 * again when a message names it, and swept with the rest a day later).
 */
type BlobState = 'unchecked' | 'verified' | 'absent';

/**
 * How long after its write URL expired the sweep first looks at an unchecked upload: Blob
 * Storage's clock may be behind ours, and a PUT authorised just before expiry may still be running.
 */
export const UPLOAD_CHECK_DELAY_MS = 5 * 60_000;

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
  /** Absent on rows from before it was recorded (treated as `unchecked`, but not swept early). */
  blobState?: BlobState;
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
    blobState: 'unchecked',
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
  return { entity: { ...entity, blobState: await checkedBlob(upload) }, etag: upload.etag };
}

/**
 * Checks the upload's blob against its declaration unless that was done: `verified`, or a 409 —
 * not stored yet (kept: the PUT may come), or stored otherwise than declared (blob and row deleted
 * at once, unless a message already carries it).
 */
async function checkedBlob(upload: Upload): Promise<'verified'> {
  const { entity } = upload;
  if (entity.blobState === 'verified') return 'verified';
  const found = await inspect(entity);
  if (found === 'missing') throw new HttpError(conflict(`${entity.name} is not stored yet: upload it first`));
  if (found !== 'ok') {
    if (entity.messageId === undefined) await discard(upload);
    throw new HttpError(conflict(`${found.wrong} (it was deleted: upload the file again)`));
  }
  return 'verified';
}

/** `ok`, `missing`, or why the stored blob is not what was declared. */
async function inspect(entity: UploadEntity): Promise<StoredBlobCheck> {
  return inspectStoredBlob((await blobs()).container, entity.blobName, entity);
}

/** What {@link inspectStoredBlob} found: `ok`, `missing`, or why the blob is not what was declared. */
export type StoredBlobCheck = 'ok' | 'missing' | { readonly wrong: string };

/**
 * Checks a stored blob against what its uploader declared: exactly `size` bytes, stored as `type`,
 * no Content-Encoding, and its first bytes `type`'s signature (signatures.ts). Attachments and
 * avatars (domain/people/avatars.ts) both check their blobs with it.
 */
export async function inspectStoredBlob(
  container: ContainerClient,
  blobName: string,
  declared: { readonly name: string; readonly size: number; readonly type: string },
): Promise<StoredBlobCheck> {
  const blob = container.getBlobClient(blobName);
  try {
    const properties = await blobStorage(() => blob.getProperties());
    if (properties.contentLength !== declared.size) {
      return {
        wrong: `${declared.name} is stored with ${properties.contentLength ?? 0} bytes, not the ${declared.size} declared`,
      };
    }
    if (properties.contentType !== declared.type) {
      return { wrong: `${declared.name} is stored as ${properties.contentType ?? 'no type'}, not ${declared.type}` };
    }
    if (properties.contentEncoding) {
      return {
        wrong: `${declared.name} is stored with Content-Encoding ${properties.contentEncoding}: store the file as it is`,
      };
    }
    const head = await blobStorage(() =>
      blob.downloadToBuffer(0, Math.min(declared.size, SIGNATURE_BYTES), {
        conditions: { ifMatch: properties.etag },
      }),
    );
    if (!matchesSignature(declared.type, head)) {
      return { wrong: `${declared.name} is not a ${declared.type} file: its contents are of another type` };
    }
    return 'ok';
  } catch (err) {
    if (isMissingBlob(err)) return 'missing';
    throw err;
  }
}

/** Deletes the upload's blob (with any snapshots) and then its row, as it was read. */
async function discard(upload: Upload): Promise<void> {
  const access = await blobs();
  await deleteBlobAndSnapshots(access.container, upload.entity.blobName);
  try {
    await storage(async () =>
      (await table('uploads')).deleteEntity(upload.entity.partitionKey, upload.entity.rowKey, { etag: upload.etag }),
    );
  } catch (err) {
    if (!isNotFound(err) && !isPreconditionFailed(err)) throw err;
  }
}

/** Records what is now known of the blob (skipped if the row changed meanwhile: whoever changed it knew more). */
async function recordBlobState(upload: Upload, blobState: BlobState): Promise<void> {
  if (upload.entity.blobState === blobState) return;
  try {
    await storage(async () =>
      (await table('uploads')).updateEntity(
        { partitionKey: upload.entity.partitionKey, rowKey: upload.entity.rowKey, blobState },
        'Merge',
        { etag: upload.etag },
      ),
    );
  } catch (err) {
    if (!isNotFound(err) && !isPreconditionFailed(err)) throw err;
  }
}

/**
 * `POST …/uploads/{id}/complete`: the uploader reports the PUT done and the stored file is checked
 * at once (see {@link checkedBlob}); an upload already on a message passes as it is.
 */
export async function completeUpload(room: string, user: Principal, id: string): Promise<UploadComplete> {
  const upload = await readUpload(room, id);
  if (!upload) throw new HttpError(notFound(`No upload ${id} in ${room}`));
  const { entity } = upload;
  if (entity.uploaderId !== user.id) throw new HttpError(forbidden(`Upload ${id} is someone else's`));
  if (entity.messageId === undefined) {
    if (abandoned(entity, Date.now())) {
      throw new HttpError(conflict(`${entity.name} was uploaded too long ago and is being removed: attach it again`));
    }
    await recordBlobState(upload, await checkedBlob(upload));
  }
  return { uploadId: id, name: entity.name, size: entity.size, type: entity.type };
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
  // Inline only for an image, video or audio whose bytes were checked (a message carries only checked files).
  const inline =
    [...INLINE_ATTACHMENT_TYPES, ...PLAYABLE_ATTACHMENT_TYPES].some((type) => type === entity.type) &&
    (entity.messageId !== undefined || entity.blobState === 'verified');
  const url = await (
    await blobs()
  ).sasUrl(entity.blobName, {
    permissions: 'r',
    expiresOn,
    contentType: entity.type,
    contentDisposition: `${inline ? 'inline' : 'attachment'}; ${filenameParameters(entity.name)}`,
    cacheControl: READ_URL_CACHE_CONTROL,
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
        await deleteBlobAndSnapshots((await blobs()).container, upload.entity.blobName);
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

/** What a sweep did: uploads deleted (abandoned, or stored otherwise than declared) and rows that failed. */
export interface SweepResult {
  readonly deleted: number;
  readonly failed: number;
}

/**
 * Sweeps the room's pending uploads (every room's, for `room` undefined: one query across
 * partitions, which the timer can afford):
 * - abandoned ones, whose write URL expired more than UNSENT_UPLOAD_TTL_MS before `now`: blob (with
 *   any snapshots) first, then the row (a row left by a failure is swept again next time);
 * - unchecked ones whose write URL expired more than UPLOAD_CHECK_DELAY_MS ago: the blob is checked
 *   as `complete` would (a client that never reports its PUT does not keep a wrong file for a day):
 *   deleted with its row if wrong, else marked `verified`, or `absent` if not there.
 * A row that fails is logged and counted, and the sweep goes on with the next; a failed query is
 * logged. The upload being issued goes ahead regardless.
 */
export async function sweepAbandonedUploads(
  room: string | undefined,
  now: number,
  log: (message: string) => void,
): Promise<SweepResult> {
  const cutoff = new Date(now - UNSENT_UPLOAD_TTL_MS).toISOString();
  const checkCutoff = new Date(now - UPLOAD_CHECK_DELAY_MS).toISOString();
  let deleted = 0;
  let failed = 0;
  try {
    const client = await table('uploads');
    const rows = client.listEntities<UploadEntity>({
      queryOptions: {
        filter:
          `${room === undefined ? '' : `PartitionKey eq '${odata(room)}' and `}pending eq true and ` +
          `(expiresAt lt '${odata(cutoff)}' or (blobState eq 'unchecked' and expiresAt lt '${odata(checkCutoff)}'))`,
      },
    });
    for await (const row of rows) {
      try {
        if (await sweepOne(row, now, checkCutoff)) deleted++;
      } catch (err) {
        failed++;
        log(
          `upload ${row.partitionKey}/${row.rowKey} was not swept: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  } catch (err) {
    log(
      `abandoned uploads of ${room ?? 'every room'} were not all swept: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { deleted, failed };
}

/** One row of {@link sweepAbandonedUploads}: true if it was deleted. */
async function sweepOne(
  row: UploadEntity & { etag: string; timestamp?: string },
  now: number,
  checkCutoff: string,
): Promise<boolean> {
  if (row.messageId !== undefined) return false;
  const { etag, timestamp: _timestamp, ...entity } = row;
  const upload: Upload = { entity, etag };
  if (abandoned(entity, now)) {
    await discard(upload);
    return true;
  }
  if (entity.blobState !== 'unchecked' || !(entity.expiresAt < checkCutoff)) return false;
  const found = await inspect(entity);
  if (found === 'ok' || found === 'missing') {
    await recordBlobState(upload, found === 'ok' ? 'verified' : 'absent');
    return false;
  }
  await discard(upload);
  return true;
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

/**
 * `filename="…"` (ASCII fallback) and `filename*=UTF-8''…` (the real name), for Content-Disposition;
 * without bidi controls and zero-width characters, which names stored before they were refused may have.
 */
function filenameParameters(stored: string): string {
  const name = withoutHiddenCharacters(stored);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * Avatars: one picture per person, stored as a blob of the private `avatars` container
 * (`<URI-encoded id>/<version>`), written by the browser under a short-lived SAS as attachments are
 * (platform/storage/blobs.ts), checked as attachments are (attachments.ts inspectStoredBlob), and
 * served by the `userAvatar` function (docs/people.md, "Avatars").
 *
 * 1. `POST /api/me/avatar` `{ size, type }`: a new version id and a write URL that may create exactly
 *    its blob for UPLOAD_URL_TTL_MS. The person's one pending upload is a row `avatarUpload` of their
 *    `profiles` partition; a new one replaces it and deletes its blob, so an upload never completed
 *    leaves at most one blob behind, until the person's next upload or deletion.
 * 2. `POST /api/me/avatar/{id}/complete`: the blob is checked (its declared size, at most
 *    MAX_AVATAR_BYTES; its declared type, one of AVATAR_TYPES; no Content-Encoding; its first bytes
 *    the type's signature). A wrong one is deleted with the pending row (409). A right one becomes
 *    the person's avatar (its version on their row), and the previous blob is deleted.
 * 3. `DELETE /api/me/avatar`: the row forgets it and the blob is deleted (with any snapshots).
 */
import { randomUUID } from 'node:crypto';

import { type AvatarUpload, type AvatarUploadRequest, UPLOAD_URL_TTL_MS } from '../../../contract';
import { conflict, HttpError, notFound } from '../../platform/http/responses';
import {
  AVATARS_CONTAINER,
  blobs,
  blobStorage,
  deleteBlobAndSnapshots,
  isMissingBlob,
} from '../../platform/storage/blobs';
import { isNotFound, isPreconditionFailed, storage, table } from '../../platform/storage/tables';
import { inspectStoredBlob } from '../attachments/attachments';
import type { Avatar, Person } from './people-store';

type PendingEntity = {
  partitionKey: string;
  rowKey: typeof PENDING_ROW;
  id: string;
  size: number;
  type: string;
  blobName: string;
  expiresAt: string;
};

const PENDING_ROW = 'avatarUpload';

const blobNameOf = (userId: string, version: string) => `${encodeURIComponent(userId)}/${version}`;

async function readPending(userId: string): Promise<(PendingEntity & { etag: string }) | undefined> {
  const client = await table('profiles');
  try {
    return await storage(() => client.getEntity<PendingEntity>(userId, PENDING_ROW));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Deletes the pending upload's blob, then its row if it is still the one read. */
async function discardPending(pending: PendingEntity & { etag: string }): Promise<void> {
  await deleteBlobAndSnapshots((await blobs(AVATARS_CONTAINER)).container, pending.blobName);
  try {
    await storage(async () =>
      (await table('profiles')).deleteEntity(pending.partitionKey, PENDING_ROW, { etag: pending.etag }),
    );
  } catch (err) {
    if (!isNotFound(err) && !isPreconditionFailed(err)) throw err;
  }
}

/** A new avatar version and the URL its bytes go to (the person's previous pending upload is dropped). */
export async function issueAvatarUpload(userId: string, declared: AvatarUploadRequest): Promise<AvatarUpload> {
  const access = await blobs(AVATARS_CONTAINER);
  const previous = await readPending(userId);
  if (previous) await discardPending(previous);
  const id = randomUUID();
  const expiresOn = new Date(Date.now() + UPLOAD_URL_TTL_MS);
  const entity: PendingEntity = {
    partitionKey: userId,
    rowKey: PENDING_ROW,
    id,
    size: declared.size,
    type: declared.type,
    blobName: blobNameOf(userId, id),
    expiresAt: expiresOn.toISOString(),
  };
  await storage(async () => (await table('profiles')).upsertEntity(entity, 'Replace'));
  const uploadUrl = await access.sasUrl(entity.blobName, { permissions: 'c', expiresOn });
  return { id, uploadUrl, expiresAt: entity.expiresAt };
}

/**
 * Checks the upload `id` of the person and answers the avatar it makes, or throws: 404 for no such
 * pending upload, 409 when its blob is not stored yet (kept) or not what was declared (deleted).
 */
export async function checkedAvatarUpload(userId: string, id: string): Promise<Avatar> {
  const pending = await readPending(userId);
  if (pending?.id !== id) throw new HttpError(notFound(`No avatar upload ${id}: ask for a new one`));
  const found = await inspectStoredBlob((await blobs(AVATARS_CONTAINER)).container, pending.blobName, {
    name: 'The avatar',
    size: pending.size,
    type: pending.type,
  });
  if (found === 'missing') throw new HttpError(conflict('The avatar is not stored yet: upload it first'));
  if (found !== 'ok') {
    await discardPending(pending);
    throw new HttpError(conflict(`${found.wrong} (it was deleted: upload the picture again)`));
  }
  return { version: id, type: pending.type, blob: pending.blobName };
}

/** After the person's row took a new avatar (or none): the pending row and the blob no longer shown go. */
export async function afterAvatarChange(userId: string, before: Person, after: Person): Promise<void> {
  const pending = await readPending(userId);
  if (pending) {
    if (pending.id === after.avatar?.version) {
      try {
        await storage(async () => (await table('profiles')).deleteEntity(userId, PENDING_ROW, { etag: pending.etag }));
      } catch (err) {
        if (!isNotFound(err) && !isPreconditionFailed(err)) throw err;
      }
    } else if (!after.avatar) {
      await discardPending(pending);
    }
  }
  if (before.avatar && before.avatar.blob !== after.avatar?.blob) {
    await deleteBlobAndSnapshots((await blobs(AVATARS_CONTAINER)).container, before.avatar.blob);
  }
}

/** The avatar's bytes, or undefined when its blob is gone (replaced or deleted meanwhile). */
export async function avatarBytes(avatar: Avatar): Promise<Buffer | undefined> {
  const blob = (await blobs(AVATARS_CONTAINER)).container.getBlobClient(avatar.blob);
  try {
    return await blobStorage(() => blob.downloadToBuffer());
  } catch (err) {
    if (isMissingBlob(err)) return undefined;
    throw err;
  }
}

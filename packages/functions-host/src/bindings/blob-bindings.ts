/**
 * Blob input and output bindings (`input.storageBlob`, `output.storageBlob`): `path` is
 * `container/blob` with binding expressions from the trigger (`{name}`, `{queueTrigger}`, …).
 * Input hands the function the blob's bytes (a Buffer, as the Node worker gets them) or nothing
 * when the blob does not exist; output writes strings as UTF-8, bytes as they are, objects as JSON.
 */
import type { ContainerClient } from '@azure/storage-blob';

import type { RpcTypedData } from '../worker/core-types';
import type { BindingType } from './binding';
import { type BindingData, resolveBindingExpression } from './binding-expressions';
import { blobNameProblem, containerNameProblem } from './blob-names';
import type { StorageClients } from './storage-clients';
import { storageAppSetting, storageConnectionOf } from './storage-connection';

export const blobBinding: BindingType = {
  name: 'blob',
  directions: ['in', 'out'],
  readInput: (binding, ctx) => readBlobInput(binding, ctx.bindingData, ctx.host.storage),
  async deliverOutput(binding, data, ctx) {
    await deliverBlobOutput(binding, data, ctx.bindingData, ctx.host.storage);
  },
  appSetting: storageAppSetting,
};

export interface BlobPath {
  readonly container: string;
  readonly blob: string;
}

/**
 * Splits `container/path/to/blob` (after resolving expressions) as the extension does, and checks
 * both parts (blob-names.ts): a path from request or trigger data with a `.` or `..` segment,
 * also percent-encoded, fails the invocation before any request, so it never leaves its container.
 */
export function blobPathOf(binding: Readonly<Record<string, unknown>>, data: BindingData): BlobPath {
  const raw = binding['path'];
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error('the binding has no path');
  const resolved = resolveBindingExpression(raw.trim(), data).replace(/^\/+/, '');
  const slash = resolved.indexOf('/');
  if (slash <= 0 || slash === resolved.length - 1) {
    throw new Error(`Invalid blob path '${resolved}': it must be container/blob`);
  }
  const container = resolved.slice(0, slash).toLowerCase();
  const blob = resolved.slice(slash + 1);
  const problem = containerNameProblem(container) ?? blobNameProblem(blob);
  if (problem !== undefined) throw new Error(problem);
  return { container, blob };
}

function containerOf(
  binding: Readonly<Record<string, unknown>>,
  container: string,
  storage: StorageClients,
): ContainerClient {
  return storage.blobService(storageConnectionOf(binding)).getContainerClient(container);
}

/** The blob's bytes, or undefined when it does not exist (the function then gets null/undefined). */
export async function readBlobInput(
  binding: Readonly<Record<string, unknown>>,
  data: BindingData,
  storage: StorageClients,
): Promise<RpcTypedData | undefined> {
  const path = blobPathOf(binding, data);
  const blob = containerOf(binding, path.container, storage).getBlobClient(path.blob);
  try {
    return { bytes: await blob.downloadToBuffer() };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

export function blobBytesOf(data: RpcTypedData | null | undefined): Buffer | undefined {
  if (!data) return undefined;
  if (data.bytes) return Buffer.from(data.bytes);
  if (typeof data.string === 'string') return Buffer.from(data.string, 'utf8');
  if (typeof data.json === 'string') return Buffer.from(data.json, 'utf8');
  if (typeof data.int === 'number' || typeof data.double === 'number') {
    return Buffer.from(String(data.int ?? data.double), 'utf8');
  }
  throw new Error('a blob must be a string, bytes or an object');
}

/** Writes the blob (creating the container if needed, as the extension does); nothing set, nothing written. */
export async function deliverBlobOutput(
  binding: Readonly<Record<string, unknown>>,
  data: RpcTypedData | null | undefined,
  bindingData: BindingData,
  storage: StorageClients,
): Promise<boolean> {
  const bytes = blobBytesOf(data);
  if (!bytes) return false;
  const path = blobPathOf(binding, bindingData);
  const container = containerOf(binding, path.container, storage);
  await container.createIfNotExists();
  await container.getBlockBlobClient(path.blob).uploadData(bytes);
  storage.blobWritten();
  return true;
}

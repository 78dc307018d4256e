/**
 * Blob Storage: private containers (`attachments`, and `avatars` for people's pictures), and the SAS
 * URLs with which clients write and read their blobs directly, so a file's bytes never pass through
 * the Functions app on the way in.
 *
 * Two ways to sign, behind {@link BlobAccess}:
 * - **Managed identity** (Azure): when `HUBBUB_BLOB_ENDPOINT` is set (infra/main.json sets it to the
 *   account's blob endpoint), the Function App's identity (DefaultAzureCredential) reaches the blobs
 *   and signs user delegation SAS with a key from getUserDelegationKey. No account key is used. This
 *   path cannot run here (no Entra ID against Azurite): it is kept small for that reason.
 * - **Account key** (Azurite locally, or any account-key connection string): the AccountKey and
 *   BlobEndpoint of `HUBBUB_STORAGE_CONNECTION_STRING` sign a service SAS.
 */
import { DefaultAzureCredential } from '@azure/identity';
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from '@azure/storage-blob';

import { STORAGE_SETTING, StorageUnavailableError } from './tables';

export const BLOB_ENDPOINT_SETTING = 'HUBBUB_BLOB_ENDPOINT';
export const ATTACHMENTS_CONTAINER = 'attachments';
export const AVATARS_CONTAINER = 'avatars';
export type ContainerName = typeof ATTACHMENTS_CONTAINER | typeof AVATARS_CONTAINER;

/** Azurite's well-known development account (public, documented by Microsoft). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A SAS starts a little in the past: the storage service's clock may be behind ours. */
const CLOCK_SKEW_MS = 60_000;
/** A user delegation key is asked for with this lifetime and replaced after the shorter one. */
export const DELEGATION_KEY_TTL_MS = 2 * 60 * 60_000;
export const DELEGATION_KEY_RENEW_MS = 60 * 60_000;

export interface SasOptions {
  /**
   * `c`: create this one new blob (no read, no overwrite); `r`: read it. Azure's `c` also lets its
   * holder snapshot the blob and copy into it; `w` allows both too, and more (overwrite, block
   * lists), so no SAS permission stores a blob without allowing a snapshot: deletes take snapshots
   * along ({@link deleteBlobAndSnapshots}).
   */
  readonly permissions: 'c' | 'r';
  readonly expiresOn: Date;
  /**
   * What a read answers with as Content-Type, Content-Disposition and Cache-Control (rsct, rscd,
   * rscc), whatever the uploader stored with the blob.
   */
  readonly contentType?: string;
  readonly contentDisposition?: string;
  readonly cacheControl?: string;
}

export interface BlobAccess {
  readonly container: ContainerClient;
  /** The blob's URL with a SAS for exactly that blob. */
  sasUrl(blobName: string, options: SasOptions): Promise<string>;
}

const access = new Map<ContainerName, Promise<BlobAccess>>();

/** A container (the attachments', unless named; created on first use) and its signer. */
export function blobs(name: ContainerName = ATTACHMENTS_CONTAINER): Promise<BlobAccess> {
  let made = access.get(name);
  if (!made) {
    made = connect(name);
    access.set(name, made);
    made.catch(() => access.delete(name));
  }
  return made;
}

async function connect(name: ContainerName): Promise<BlobAccess> {
  const endpoint = process.env[BLOB_ENDPOINT_SETTING];
  const made = endpoint ? identityAccess(endpoint, name) : keyAccess(process.env[STORAGE_SETTING] ?? '', name);
  await blobStorage(() => made.container.createIfNotExists());
  return made;
}

interface KeySettings {
  readonly account?: string;
  readonly key?: string;
  readonly endpoint?: string;
}

/** Account, key and blob endpoint of a storage connection string (`UseDevelopmentStorage=true` is Azurite's). */
function keySettings(connection: string): KeySettings {
  const parts = new Map(
    connection
      .split(';')
      .filter((part) => part.includes('='))
      .map((part) => [part.slice(0, part.indexOf('=')).toLowerCase(), part.slice(part.indexOf('=') + 1)]),
  );
  const dev = parts.get('usedevelopmentstorage') === 'true';
  const account = dev ? DEV_ACCOUNT : parts.get('accountname');
  const key = dev ? DEV_ACCOUNT_KEY : parts.get('accountkey');
  const endpoint =
    parts.get('blobendpoint') ??
    (dev
      ? `http://127.0.0.1:10000/${DEV_ACCOUNT}`
      : account &&
        `${parts.get('defaultendpointsprotocol') ?? 'https'}://${account}.blob.${parts.get('endpointsuffix') ?? 'core.windows.net'}`);
  return { ...(account && { account }), ...(key && { key }), ...(endpoint && { endpoint }) };
}

/**
 * The blob service endpoint browsers PUT and GET attachments on, from the same settings the signer
 * uses (`HUBBUB_BLOB_ENDPOINT` in Azure, else the storage connection string); undefined when neither
 * names one. The app shell's Content-Security-Policy allows its origin.
 */
export function blobEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[BLOB_ENDPOINT_SETTING] || keySettings(env[STORAGE_SETTING] ?? '').endpoint;
}

function keyAccess(connection: string, name: ContainerName): BlobAccess {
  const { account, key, endpoint } = keySettings(connection);
  if (!account || !key || !endpoint) {
    throw new StorageUnavailableError(`${STORAGE_SETTING} has no account key for Blob Storage`);
  }
  const credential = new StorageSharedKeyCredential(account, key);
  const container = new BlobServiceClient(endpoint, credential, retry).getContainerClient(name);
  return {
    container,
    sasUrl: (blobName, options) =>
      Promise.resolve(
        signed(container, blobName, options, (values) => generateBlobSASQueryParameters(values, credential)),
      ),
  };
}

function identityAccess(endpoint: string, name: ContainerName): BlobAccess {
  return userDelegationAccess(new BlobServiceClient(endpoint, new DefaultAzureCredential(), retry), name);
}

/** What user delegation signing needs of the service client (tests pass their own: no Entra ID here). */
export interface DelegatingService {
  readonly accountName: string;
  getContainerClient(name: string): ContainerClient;
  getUserDelegationKey(startsOn: Date, expiresOn: Date): Promise<UserDelegationKey>;
}

/**
 * Signs with a user delegation key the identity obtains (valid 2 hours, renewed after 1), so SAS
 * URLs carry the identity's object id and tenant (skoid, sktid) and no account key exists anywhere.
 */
export function userDelegationAccess(
  service: DelegatingService,
  name: ContainerName = ATTACHMENTS_CONTAINER,
): BlobAccess {
  const container = service.getContainerClient(name);
  let key: { value: UserDelegationKey; renewAfter: number } | undefined;
  const delegationKey = async (): Promise<UserDelegationKey> => {
    if (!key || Date.now() > key.renewAfter) {
      const now = Date.now();
      const value = await blobStorage(() =>
        service.getUserDelegationKey(new Date(now - CLOCK_SKEW_MS), new Date(now + DELEGATION_KEY_TTL_MS)),
      );
      key = { value, renewAfter: now + DELEGATION_KEY_RENEW_MS };
    }
    return key.value;
  };
  return {
    container,
    sasUrl: async (blobName, options) => {
      const value = await delegationKey();
      return signed(container, blobName, options, (values) =>
        generateBlobSASQueryParameters(values, value, service.accountName),
      );
    },
  };
}

function signed(
  container: ContainerClient,
  blobName: string,
  options: SasOptions,
  sign: (values: Parameters<typeof generateBlobSASQueryParameters>[0]) => { toString(): string },
): string {
  const blob = container.getBlobClient(blobName);
  const sas = sign({
    containerName: container.containerName,
    blobName,
    permissions: BlobSASPermissions.parse(options.permissions),
    startsOn: new Date(Date.now() - CLOCK_SKEW_MS),
    expiresOn: options.expiresOn,
    protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
    ...(options.contentType !== undefined && { contentType: options.contentType }),
    ...(options.contentDisposition !== undefined && { contentDisposition: options.contentDisposition }),
    ...(options.cacheControl !== undefined && { cacheControl: options.cacheControl }),
  });
  return `${blob.url}?${sas.toString()}`;
}

const retry = { retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 500 } };

/** Network failures and 5xx from Blob Storage become {@link StorageUnavailableError} (503). */
export async function blobStorage<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    const status = (err as { statusCode?: unknown } | null)?.statusCode;
    if (err instanceof Error && err.name === 'RestError' && (typeof status !== 'number' || status >= 500)) {
      throw new StorageUnavailableError(
        `Blob Storage is unavailable (${typeof status === 'number' ? status : 'no response'})`,
      );
    }
    throw err;
  }
}

/**
 * Deletes a blob with every snapshot of it (a write URL's `c` lets its holder snapshot the blob,
 * and Delete Blob without `x-ms-delete-snapshots` fails with 409 SnapshotsPresent). True if it was there.
 */
export async function deleteBlobAndSnapshots(container: ContainerClient, blobName: string): Promise<boolean> {
  const { succeeded } = await blobStorage(() =>
    container.getBlobClient(blobName).deleteIfExists({ deleteSnapshots: 'include' }),
  );
  return succeeded;
}

/** True for the 404 of a blob (or container) that is not there. */
export function isMissingBlob(err: unknown): boolean {
  return (err as { statusCode?: unknown } | null)?.statusCode === 404;
}

/** For tests: forget the connection (a test changes the settings). */
export function resetBlobs(): void {
  access.clear();
}

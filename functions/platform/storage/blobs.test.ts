import { BlobServiceClient, type UserDelegationKey } from '@azure/storage-blob';

import { READ_URL_TTL_MS, UPLOAD_URL_TTL_MS } from '../../../contract';
import { blobEndpoint, DELEGATION_KEY_RENEW_MS, DELEGATION_KEY_TTL_MS, userDelegationAccess } from './blobs';

/**
 * The managed-identity path cannot reach Entra ID here, so the service hands out a fixed user
 * delegation key; everything else (what is asked for, what the SAS carries) is the real SDK's.
 */
function delegatingService() {
  const real = new BlobServiceClient('https://hubbubstore.blob.core.windows.net');
  const asked: { startsOn: Date; expiresOn: Date }[] = [];
  const key: UserDelegationKey = {
    signedObjectId: '11111111-2222-3333-4444-555555555555',
    signedTenantId: '66666666-7777-8888-9999-000000000000',
    signedStartsOn: new Date('2026-01-01T00:00:00Z'),
    signedExpiresOn: new Date('2026-01-01T02:00:00Z'),
    signedService: 'b',
    signedVersion: '2025-01-05',
    value: Buffer.from('a delegation key of 32 bytes....').toString('base64'),
  };
  const service = {
    accountName: real.accountName,
    getContainerClient: (name: string) => real.getContainerClient(name),
    getUserDelegationKey: (startsOn: Date, expiresOn: Date) => {
      asked.push({ startsOn, expiresOn });
      return Promise.resolve(key);
    },
  };
  return { service, asked, key };
}

describe('user delegation SAS (managed identity in Azure)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('signs a create-only URL for one blob over HTTPS with the identity key, asked for once', async () => {
    const { service, asked, key } = delegatingService();
    const access = userDelegationAccess(service);
    const now = Date.now();
    const expiresOn = new Date(now + UPLOAD_URL_TTL_MS);
    const url = new URL(await access.sasUrl('general/u1/cat.png', { permissions: 'c', expiresOn }));
    expect(url.origin + url.pathname).toBe('https://hubbubstore.blob.core.windows.net/attachments/general/u1/cat.png');
    const q = url.searchParams;
    expect(q.get('sp')).toBe('c');
    expect(q.get('sr')).toBe('b');
    expect(q.get('spr')).toBe('https');
    expect(q.get('skoid')).toBe(key.signedObjectId);
    expect(q.get('sktid')).toBe(key.signedTenantId);
    expect(q.get('sks')).toBe('b');
    expect(q.get('sig')).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Date.parse(q.get('se') ?? '')).toBe(Math.floor(expiresOn.getTime() / 1000) * 1000);
    expect(now - Date.parse(q.get('st') ?? '')).toBeGreaterThanOrEqual(59_000);
    expect(q.has('sv')).toBe(true);

    const read = new URL(
      await access.sasUrl('general/u1/cat.png', {
        permissions: 'r',
        expiresOn: new Date(now + READ_URL_TTL_MS),
        contentType: 'image/png',
        contentDisposition: 'inline; filename="cat.png"',
      }),
    );
    expect(read.searchParams.get('sp')).toBe('r');
    expect(read.searchParams.get('rsct')).toBe('image/png');
    expect(read.searchParams.get('rscd')).toBe('inline; filename="cat.png"');
    expect(read.searchParams.get('sig')).not.toBe(q.get('sig'));

    expect(asked).toHaveLength(1);
    expect(asked[0].expiresOn.getTime() - asked[0].startsOn.getTime()).toBe(DELEGATION_KEY_TTL_MS + 60_000);
  });

  it('asks for a new key once the one it has is an hour old', async () => {
    const { service, asked } = delegatingService();
    const access = userDelegationAccess(service);
    const start = Date.now();
    const expiresOn = new Date(start + UPLOAD_URL_TTL_MS);
    await access.sasUrl('a/b/c.txt', { permissions: 'c', expiresOn });
    jest.spyOn(Date, 'now').mockReturnValue(start + DELEGATION_KEY_RENEW_MS - 1000);
    await access.sasUrl('a/b/c.txt', { permissions: 'c', expiresOn });
    expect(asked).toHaveLength(1);
    jest.spyOn(Date, 'now').mockReturnValue(start + DELEGATION_KEY_RENEW_MS + 1000);
    await access.sasUrl('a/b/c.txt', { permissions: 'c', expiresOn });
    expect(asked).toHaveLength(2);
  });
});

describe('blobEndpoint', () => {
  it('is the managed-identity endpoint in Azure, else the connection string’s blob endpoint', () => {
    expect(
      blobEndpoint({
        HUBBUB_BLOB_ENDPOINT: 'https://hubbubstore.blob.core.windows.net/',
        HUBBUB_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      }),
    ).toBe('https://hubbubstore.blob.core.windows.net/');
    expect(
      blobEndpoint({
        HUBBUB_STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=k;BlobEndpoint=http://127.0.0.1:41234/devstoreaccount1;',
      }),
    ).toBe('http://127.0.0.1:41234/devstoreaccount1');
    expect(blobEndpoint({ HUBBUB_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).toBe(
      'http://127.0.0.1:10000/devstoreaccount1',
    );
    expect(
      blobEndpoint({
        HUBBUB_STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=k;EndpointSuffix=core.windows.net',
      }),
    ).toBe('https://acct.blob.core.windows.net');
    expect(blobEndpoint({})).toBeUndefined();
  });
});

/**
 * CORS on Azurite's blob service (started by azurite.ts like the table service) for the origins the
 * SPA runs on, so a browser may PUT and GET blobs with a SAS URL.
 */
import { BlobServiceClient } from '@azure/storage-blob';

/** Lets the browser at `origins` write (PUT) and read (GET) blobs with SAS URLs. */
export async function allowBlobCors(connectionString: string, origins: readonly string[]): Promise<void> {
  const service = BlobServiceClient.fromConnectionString(connectionString);
  await service.setProperties({
    cors: [
      {
        allowedOrigins: origins.join(','),
        allowedMethods: 'GET,HEAD,PUT,OPTIONS',
        allowedHeaders: 'content-type,x-ms-blob-type,x-ms-version,x-ms-client-request-id,x-ms-date',
        exposedHeaders: 'etag,content-length,content-type,x-ms-request-id',
        maxAgeInSeconds: 3600,
      },
    ],
  });
}

/**
 * Azurite's blob service, for attachments: its own process on 127.0.0.1 (like the table service),
 * and CORS for the origins the SPA runs on, so a browser may PUT and GET blobs with a SAS URL.
 */

import { BlobServiceClient } from '@azure/storage-blob';

import { azuriteServiceProcess } from './azurite';
import type { ManagedProcess } from './process';

/** Azurite's blob service on 127.0.0.1. */
export function azuriteBlobProcess(
  root: string,
  port: number,
  location: string,
  log: (line: string) => void,
  onUnexpectedExit?: (name: string, code: number | null) => void,
): ManagedProcess {
  return azuriteServiceProcess('blob', root, port, location, log, onUnexpectedExit);
}

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

/**
 * One host's storage clients (a service client per connection string, reused) and the extension's
 * fast path: this host's own queue and blob writes wake its listeners at once, not at their next poll.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { type QueueClient, QueueServiceClient } from '@azure/storage-queue';

export class StorageClients {
  readonly #queueServices = new Map<string, QueueServiceClient>();
  readonly #blobServices = new Map<string, BlobServiceClient>();
  readonly #queueWakers = new Map<string, Set<() => void>>();
  readonly #blobWakers = new Set<() => void>();

  queueClient(connectionString: string, queueName: string): QueueClient {
    let service = this.#queueServices.get(connectionString);
    if (!service) {
      service = QueueServiceClient.fromConnectionString(connectionString);
      this.#queueServices.set(connectionString, service);
    }
    return service.getQueueClient(queueName);
  }

  blobService(connectionString: string): BlobServiceClient {
    let service = this.#blobServices.get(connectionString);
    if (!service) {
      service = BlobServiceClient.fromConnectionString(connectionString);
      this.#blobServices.set(connectionString, service);
    }
    return service;
  }

  /** Registers a listener to poll at once when this host writes to its queue; returns the unregister. */
  onQueueWrite(connectionString: string, queueName: string, wake: () => void): () => void {
    const key = queueKey(connectionString, queueName);
    let set = this.#queueWakers.get(key);
    if (!set) {
      set = new Set();
      this.#queueWakers.set(key, set);
    }
    set.add(wake);
    return () => set.delete(wake);
  }

  queueWritten(connectionString: string, queueName: string): void {
    for (const wake of this.#queueWakers.get(queueKey(connectionString, queueName)) ?? []) wake();
  }

  /** Blob trigger listeners register here to scan at once after this host writes a blob. */
  onBlobWrite(wake: () => void): () => void {
    this.#blobWakers.add(wake);
    return () => this.#blobWakers.delete(wake);
  }

  blobWritten(): void {
    for (const wake of this.#blobWakers) wake();
  }
}

function queueKey(connectionString: string, queueName: string): string {
  return `${connectionString}\n${queueName}`;
}

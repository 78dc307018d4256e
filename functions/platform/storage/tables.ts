/**
 * Azure Table Storage access: one client per table, created on first use. The connection string
 * comes from the `HUBBUB_STORAGE_CONNECTION_STRING` app setting (Azurite locally).
 */
import { RestError, TableClient, type TableServiceClientOptions } from '@azure/data-tables';

export const STORAGE_SETTING = 'HUBBUB_STORAGE_CONNECTION_STRING';

/** `search<bucket>`: the search index, rooms spread over 256 tables by a hash of their name (docs/search.md). */
export type TableName =
  | 'messages'
  | 'rooms'
  | 'memberships'
  | 'users'
  | 'presence'
  | 'ratelimits'
  | 'readstate'
  | 'uploads'
  | 'profiles'
  | 'push'
  | `search${string}`;

const clients = new Map<TableName, Promise<TableClient>>();

export function table(name: TableName): Promise<TableClient> {
  let client = clients.get(name);
  if (!client) {
    client = createTable(name);
    clients.set(name, client);
    // A failed creation (storage down) must not be cached: the next request tries again.
    client.catch(() => clients.delete(name));
  }
  return client;
}

async function createTable(name: TableName): Promise<TableClient> {
  const connection = process.env[STORAGE_SETTING] || process.env['AzureWebJobsStorage'];
  if (!connection) throw new StorageUnavailableError(`${STORAGE_SETTING} is not set`);
  const options: TableServiceClientOptions = {
    allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\//i.test(connection),
    retryOptions: { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 500 },
  };
  const client = TableClient.fromConnectionString(connection, `hubbub${name}`, options);
  client.pipeline.addPolicy({
    name: 'hubbub-observe',
    sendRequest: async (request, next) => {
      const done = observer?.(name, request.method);
      let answer: Answer | undefined;
      try {
        const response = await next(request);
        if (done) answer = answerOf(response.status, response.bodyAsText);
        return response;
      } finally {
        done?.(answer);
      }
    },
  });
  try {
    await client.createTable();
  } catch (err) {
    throw asStorageError(err);
  }
  return client;
}

/**
 * Called as each storage request starts (every table, every page of a query); what it returns is
 * called when the answer is in (with what it carried; nothing when none came). Tests count a
 * request's round trips in sequence, and the entities and bytes it read, with it.
 */
export type StorageObserver = (table: TableName, method: string) => ((answer?: Answer) => void) | undefined;

/** What a storage answer carried: entities (a query page's rows, or the one entity read) and body bytes. */
export interface Answer {
  readonly status: number;
  readonly entities: number;
  readonly bytes: number;
}

function answerOf(status: number, body: string | null | undefined): Answer {
  const bytes = body ? Buffer.byteLength(body) : 0;
  if (!body || status >= 300 || !body.startsWith('{')) return { status, entities: 0, bytes };
  try {
    const parsed = JSON.parse(body) as { value?: unknown };
    return { status, entities: Array.isArray(parsed.value) ? parsed.value.length : 1, bytes };
  } catch {
    return { status, entities: 0, bytes };
  }
}

let observer: StorageObserver | undefined;

export function observeStorage(next: StorageObserver | undefined): void {
  observer = next;
}

/** Storage could not be reached; the HTTP layer answers 503. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

/**
 * Storage is there but a row is written faster than it can take (writers kept getting in each
 * other's way): nothing was saved; the HTTP layer answers 503 with `Retry-After`.
 */
export class StorageBusyError extends Error {
  override readonly name = 'StorageBusyError';
  /** A few seconds, at random, so the refused do not all come back at once. */
  readonly retryAfterSeconds = 1 + Math.floor(Math.random() * 3);
}

/** True for the "entity already exists" conflict that makes idempotent inserts work. */
export function isConflict(err: unknown): boolean {
  return err instanceof RestError && err.statusCode === 409;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof RestError && err.statusCode === 404;
}

export function isPreconditionFailed(err: unknown): boolean {
  return err instanceof RestError && err.statusCode === 412;
}

/** Network failures and 5xx from storage become {@link StorageUnavailableError}; everything else passes through. */
export function asStorageError(err: unknown): unknown {
  if (err instanceof StorageUnavailableError) return err;
  if (err instanceof RestError && (err.statusCode === undefined || err.statusCode >= 500)) {
    return new StorageUnavailableError(`Table Storage is unavailable (${err.code ?? err.statusCode ?? 'no response'})`);
  }
  return err;
}

/** Runs a storage operation, mapping outages to {@link StorageUnavailableError}. */
export async function storage<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw asStorageError(err);
  }
}

/** An OData string literal's content: single quotes doubled. */
export function odata(value: string): string {
  return value.replace(/'/g, "''");
}

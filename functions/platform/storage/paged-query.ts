/**
 * Listing by name prefix, as the rooms, members and people lists page through Table Storage: a
 * key range for the prefix ({@link startsWith}) and one page of the query at a time ({@link pageOf}),
 * the cursor being Table Storage's continuation token.
 */
import type { TableClient, TableEntityQueryOptions, TableEntityResult } from '@azure/data-tables';

import { odata, storage } from './tables';

/** A page of a listing: a name prefix ('' for everything), the cursor of the previous page, a size. */
export interface PrefixPageQuery {
  readonly query: string;
  readonly cursor?: string;
  readonly limit: number;
}

/** A filter for the rows whose `column` starts with `prefix`: a key range, served in key order. */
export function startsWith(column: string, prefix: string): string {
  return `${column} ge '${odata(prefix)}' and ${column} lt '${odata(successor(prefix))}'`;
}

/** The smallest string greater than every string that starts with `prefix`. */
function successor(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * One page of a query: at most `page.limit` rows from where `page.cursor` left off, and the cursor
 * of the next page when there is one.
 */
export async function pageOf<T extends object>(
  client: TableClient,
  query: TableEntityQueryOptions,
  page: Pick<PrefixPageQuery, 'cursor' | 'limit'>,
): Promise<{ entities: TableEntityResult<T>[]; cursor?: string }> {
  return storage(async () => {
    const pages = client
      .listEntities<T>({ queryOptions: query })
      .byPage({ maxPageSize: page.limit, ...(page.cursor ? { continuationToken: page.cursor } : {}) });
    for await (const entities of pages) {
      return entities.continuationToken
        ? { entities: [...entities], cursor: entities.continuationToken }
        : { entities: [...entities] };
    }
    return { entities: [] };
  });
}

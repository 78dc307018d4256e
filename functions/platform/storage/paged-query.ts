/**
 * Listing by name prefix, as the rooms, members and people lists page through Table Storage.
 */

/** A page of a listing: a name prefix ('' for everything), the cursor of the previous page, a size. */
export interface PrefixPageQuery {
  readonly query: string;
  readonly cursor?: string;
  readonly limit: number;
}

/** The smallest string greater than every string that starts with `prefix`. */
export function successor(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

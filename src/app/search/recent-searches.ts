/** How many recent searches a person keeps (newest first, each once). */
export const MAX_RECENT_SEARCHES = 8;

const key = (userId: string) => `hubbub.recentSearches.${userId}`;

export function readRecentSearches(storage: Storage | null, userId: string): string[] {
  try {
    const value: unknown = JSON.parse(storage?.getItem(key(userId)) ?? '[]');
    return Array.isArray(value)
      ? value.filter((q): q is string => typeof q === 'string').slice(0, MAX_RECENT_SEARCHES)
      : [];
  } catch {
    return [];
  }
}

/** `q` first, once; the list kept in the person's own entry. */
export function rememberSearch(storage: Storage | null, userId: string, q: string): string[] {
  const next = [q, ...readRecentSearches(storage, userId).filter((old) => old !== q)].slice(0, MAX_RECENT_SEARCHES);
  try {
    storage?.setItem(key(userId), JSON.stringify(next));
  } catch {
    // Full or blocked: the list lives for this page only.
  }
  return next;
}

/** What we know about one room's history on the server. */
export interface RoomHistory {
  readonly loaded: boolean;
  readonly hasMore: boolean;
  readonly loadingOlder: boolean;
  readonly error: string | null;
  /** The server would not show the room: not a member of a public room (403), or no room the user may see (404). */
  readonly refusal: 'not-member' | 'not-found' | null;
  /**
   * The room's change number we hold everything up to (from the newest page and catch-up pages),
   * or null before the first page. Catch-up asks for what changed after it.
   */
  readonly cursor: number | null;
  /** Change numbers seen beyond a gap after `cursor` (a missed event): the cursor moves past them once the gap fills. */
  readonly ahead: readonly number[];
}

export const emptyHistory: RoomHistory = {
  loaded: false,
  hasMore: true,
  loadingOlder: false,
  error: null,
  refusal: null,
  cursor: null,
  ahead: [],
};

/** Enough to bridge any ordinary outage; past it the cursor just waits for the next catch-up. */
const MAX_AHEAD = 1_000;

/**
 * Counts change numbers as seen. Every change takes the room's next number, so the cursor moves
 * on only through numbers without a gap: an event that was never delivered holds it back, and the
 * next catch-up asks from before it. A room without a cursor (not loaded) keeps none.
 */
export function seen(history: RoomHistory, seqs: readonly number[]): RoomHistory {
  if (history.cursor === null) return history;
  const cursor = history.cursor;
  const fresh = seqs.filter((seq) => Number.isInteger(seq) && seq > cursor && !history.ahead.includes(seq));
  if (fresh.length === 0) return history;
  return settle(cursor, [...history.ahead, ...fresh], history);
}

/** A page said it is complete up to `cursor`: nothing at or below it is missing. */
export function completeUpTo(history: RoomHistory, cursor: number): RoomHistory {
  if (!Number.isInteger(cursor) || (history.cursor !== null && cursor <= history.cursor)) return history;
  return settle(
    cursor,
    history.ahead.filter((seq) => seq > cursor),
    history,
  );
}

function settle(cursor: number, ahead: number[], history: RoomHistory): RoomHistory {
  const sorted = [...new Set(ahead)].sort((a, b) => a - b);
  let next = cursor;
  let skip = 0;
  while (sorted[skip] === next + 1) {
    next++;
    skip++;
  }
  return { ...history, cursor: next, ahead: sorted.slice(skip, skip + MAX_AHEAD) };
}

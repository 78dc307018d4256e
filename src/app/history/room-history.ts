/** What we know about one room's history on the server. */
export interface RoomHistory {
  readonly loaded: boolean;
  readonly hasMore: boolean;
  readonly loadingOlder: boolean;
  readonly error: string | null;
}

export const emptyHistory: RoomHistory = { loaded: false, hasMore: true, loadingOlder: false, error: null };

import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type MessagePage, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

export const PAGE_SIZE = DEFAULT_PAGE_SIZE;

/** Nothing (the newest page), the page before or around a message, or every change after a change number. */
export type HistoryCursor =
  { readonly before: string } | { readonly around: string } | { readonly since: number } | null;

@Injectable({ providedIn: 'root' })
export class HistoryApi {
  private readonly api = inject(ApiClient);

  /** The newest page or the page just before a message (oldest first); or what changed since `since`, in change order. */
  history(room: string, cursor: HistoryCursor = null): Observable<MessagePage> {
    // Catch-up takes big pages: after a long outage there is a lot to fetch, and each page is one request.
    const query = new URLSearchParams({ limit: String(cursor && 'since' in cursor ? MAX_PAGE_SIZE : PAGE_SIZE) });
    if (cursor && 'before' in cursor) query.set('before', cursor.before);
    if (cursor && 'since' in cursor) query.set('since', String(cursor.since));
    if (cursor && 'around' in cursor) query.set('around', cursor.around);
    return this.api.get<MessagePage>(`${apiPath(Routes.history, { room })}?${query.toString()}`);
  }
}

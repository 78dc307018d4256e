import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, DEFAULT_PAGE_SIZE, type MessagePage, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

export const PAGE_SIZE = DEFAULT_PAGE_SIZE;

export type HistoryCursor = { readonly before: string } | { readonly after: string } | null;

@Injectable({ providedIn: 'root' })
export class HistoryApi {
  private readonly api = inject(ApiClient);

  /** The newest page, the page just before a message, or what came after one; oldest first. */
  history(room: string, cursor: HistoryCursor = null): Observable<MessagePage> {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor && 'before' in cursor) query.set('before', cursor.before);
    if (cursor && 'after' in cursor) query.set('after', cursor.after);
    return this.api.get<MessagePage>(`${apiPath(Routes.history, { room })}?${query.toString()}`);
  }
}

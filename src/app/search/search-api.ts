import { inject, Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { apiPath, Routes, type SearchPage } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class SearchApi {
  private readonly api = inject(ApiClient);

  /** A page of messages matching `q` (docs/search.md, "Queries"), newest first. */
  search(q: string, cursor?: string): Observable<SearchPage> {
    const params = new URLSearchParams({ q });
    if (cursor) params.set('cursor', cursor);
    return this.api.get<SearchPage>(`${apiPath(Routes.search)}?${params.toString()}`);
  }
}

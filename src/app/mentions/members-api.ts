import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, MAX_LIST_LIMIT, type MemberList, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class MembersApi {
  private readonly api = inject(ApiClient);

  /** The first page of a room's members whose name starts with `query` (all of them for ''). */
  search(room: string, query: string): Observable<MemberList> {
    const params = new URLSearchParams({ limit: String(MAX_LIST_LIMIT) });
    if (query) params.set('query', query);
    return this.api.get<MemberList>(`${apiPath(Routes.roomMembers, { room })}?${params.toString()}`);
  }
}

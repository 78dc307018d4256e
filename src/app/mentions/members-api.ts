import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { apiPath, MAX_LIST_LIMIT, type MemberList, Routes, type UserList, type UserRef } from '../../../contract';
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

  /** The people with these ids that the server knows (at most MAX_LIST_LIMIT ids). */
  people(ids: readonly string[]): Observable<readonly UserRef[]> {
    const params = new URLSearchParams(ids.map((id) => ['id', id]));
    return this.api
      .get<UserList>(`${apiPath(Routes.users)}?${params.toString()}`)
      .pipe(map((body) => body.users.map(({ id, name }) => ({ id, name }))));
  }
}

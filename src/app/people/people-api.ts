import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { apiPath, type HeartbeatRequest, MAX_LIST_LIMIT, Routes, type User, type UserList } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class PeopleApi {
  private readonly api = inject(ApiClient);

  /** The first page of people (the list is paged; a larger directory would search with `query`). */
  users(): Observable<readonly User[]> {
    return this.api.get<UserList>(`${apiPath(Routes.users)}?limit=${MAX_LIST_LIMIT}`).pipe(map((body) => body.users));
  }

  /** The first page of people whose name starts with `query` (the members panel's people picker). */
  search(query: string): Observable<readonly User[]> {
    const params = new URLSearchParams({ query, limit: String(MAX_LIST_LIMIT) });
    return this.api.get<UserList>(`${apiPath(Routes.users)}?${params.toString()}`).pipe(map((body) => body.users));
  }

  /** Tells the server this tab's connection is still alive (presence expires without it), and whether the person is away. */
  heartbeat(away: boolean): Observable<unknown> {
    return this.api.post<unknown>(apiPath(Routes.presenceHeartbeat), { away } satisfies HeartbeatRequest);
  }
}

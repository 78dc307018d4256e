import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { apiPath, MAX_LIST_LIMIT, Routes, type User, type UserList } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class PeopleApi {
  private readonly api = inject(ApiClient);

  /** The first page of people (the list is paged; a larger directory would search with `query`). */
  users(): Observable<readonly User[]> {
    return this.api.get<UserList>(`${apiPath(Routes.users)}?limit=${MAX_LIST_LIMIT}`).pipe(map((body) => body.users));
  }

  /** Tells the server this tab's connection is still alive (presence expires without it). */
  heartbeat(): Observable<unknown> {
    return this.api.post<unknown>(apiPath(Routes.presenceHeartbeat));
  }
}

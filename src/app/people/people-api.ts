import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { apiPath, Routes, type User, type UserList } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class PeopleApi {
  private readonly api = inject(ApiClient);

  users(): Observable<readonly User[]> {
    return this.api.get<UserList>(apiPath(Routes.users)).pipe(map((body) => body.users));
  }
}

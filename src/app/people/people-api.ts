import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { ApiClient } from '../core/api-client';
import { apiPath, Routes, type User, type UserList } from '../../../contract';

@Injectable({ providedIn: 'root' })
export class PeopleApi {
  private readonly api = inject(ApiClient);

  users(): Observable<readonly User[]> {
    return this.api.get<UserList>(apiPath(Routes.users)).pipe(map((body) => body.users));
  }
}

import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { apiPath, type BlockList, Routes, type UserRef } from '../../../contract';
import { ApiClient } from '../core/api-client';

/** The people the signed-in user blocked (docs/security.md, Blocking). */
@Injectable({ providedIn: 'root' })
export class BlocksApi {
  private readonly api = inject(ApiClient);

  list(): Observable<readonly UserRef[]> {
    return this.api.get<BlockList>(apiPath(Routes.blocks)).pipe(map((body) => body.users));
  }

  block(userId: string): Observable<unknown> {
    return this.api.put<unknown>(apiPath(Routes.block, { userId }));
  }

  unblock(userId: string): Observable<unknown> {
    return this.api.delete<unknown>(apiPath(Routes.block, { userId }));
  }
}

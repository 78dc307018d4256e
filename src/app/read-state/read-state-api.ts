import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { apiPath, type MarkReadRequest, type ReadState, type ReadStateList, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class ReadStateApi {
  private readonly api = inject(ApiClient);

  /** The caller's read state of every room they are in. */
  list(): Observable<readonly ReadState[]> {
    return this.api.get<ReadStateList>(apiPath(Routes.readState)).pipe(map((body) => body.rooms));
  }

  /** `{ seq }` reads up to a change number (forward only); `{ unreadFrom }` marks unread from a message. */
  markRead(room: string, request: MarkReadRequest): Observable<ReadState> {
    return this.api.put<ReadState>(apiPath(Routes.markRead, { room }), request);
  }
}

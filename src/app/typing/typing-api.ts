import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class TypingApi {
  private readonly api = inject(ApiClient);

  typing(room: string): Observable<unknown> {
    return this.api.post<unknown>(apiPath(Routes.typing, { room }));
  }
}

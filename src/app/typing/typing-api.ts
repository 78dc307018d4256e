import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { ApiClient } from '../core/api-client';
import { apiPath, Routes } from '../../../contract';

@Injectable({ providedIn: 'root' })
export class TypingApi {
  private readonly api = inject(ApiClient);

  typing(room: string): Observable<unknown> {
    return this.api.post<unknown>(apiPath(Routes.typing, { room }));
  }
}

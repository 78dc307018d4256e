import { inject, Injectable } from '@angular/core';
import { catchError, map, Observable, of, throwError } from 'rxjs';

import { apiPath, Routes, type UserRef } from '../../../contract';
import { ApiClient, ApiError } from '../core/api-client';

/** Who is signed in: the user, or null when the platform says nobody (401). */
@Injectable({ providedIn: 'root' })
export class SessionApi {
  private readonly api = inject(ApiClient);

  me(): Observable<UserRef | null> {
    return this.api.get<UserRef>(apiPath(Routes.me)).pipe(
      map((user) => ({ id: user.id, name: user.name })),
      catchError((error: unknown) =>
        error instanceof ApiError && error.status === 401 ? of(null) : throwError(() => error),
      ),
    );
  }
}

/**
 * The API redirects to the platform's sign-in for whichever identity provider is configured, which
 * comes back to `path` (the address the person opened, so a link followed signed out still opens).
 */
export function signInUrl(path: string): string {
  return `${apiPath(Routes.login)}?post_login_redirect_uri=${encodeURIComponent(path.startsWith('/') ? path : '/')}`;
}
export const SIGN_OUT_URL = '/.auth/logout?post_logout_redirect_uri=/';

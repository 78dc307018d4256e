import { inject, Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import {
  apiPath,
  type AvatarUpload,
  type AvatarUploadRequest,
  type Profile,
  type ProfileUpdateRequest,
  Routes,
  type StatusRequest,
} from '../../../contract';
import { ApiClient } from '../core/api-client';

/** Profiles, avatars and status (docs/people.md): used by the profile card and page, both lazy chunks. */
@Injectable({ providedIn: 'root' })
export class ProfileApi {
  private readonly api = inject(ApiClient);

  /** Anyone's card. */
  profile(userId: string): Observable<Profile> {
    return this.api.get<Profile>(apiPath(Routes.userProfile, { userId }));
  }

  /** The signed-in person's own profile (with `doNotDisturbUntil`). */
  own(): Observable<Profile> {
    return this.api.get<Profile>(apiPath(Routes.profile));
  }

  update(change: ProfileUpdateRequest): Observable<Profile> {
    return this.api.patch<Profile>(apiPath(Routes.profile), change);
  }

  /** A write URL for a new avatar of `size` bytes of `type`; PUT the bytes there, then {@link completeAvatar}. */
  requestAvatar(request: AvatarUploadRequest): Observable<AvatarUpload> {
    return this.api.post<AvatarUpload>(apiPath(Routes.avatar), request);
  }

  completeAvatar(id: string): Observable<Profile> {
    return this.api.post<Profile>(apiPath(Routes.avatarComplete, { id }), {});
  }

  removeAvatar(): Observable<Profile> {
    return this.api.delete<Profile>(apiPath(Routes.avatar));
  }

  setStatus(status: StatusRequest): Observable<Profile> {
    return this.api.put<Profile>(apiPath(Routes.status), status);
  }

  clearStatus(): Observable<Profile> {
    return this.api.delete<Profile>(apiPath(Routes.status));
  }
}

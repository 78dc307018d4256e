import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { ApiClient } from '../core/api-client';
import type { Room, User } from '../core/wire-types';

@Injectable({ providedIn: 'root' })
export class RoomsApi {
  private readonly api = inject(ApiClient);

  rooms(): Observable<readonly Room[]> {
    return this.api.get<{ rooms: Room[] }>('/api/rooms').pipe(map((body) => body.rooms));
  }

  create(name: string): Observable<Room> {
    return this.api.post<Room>('/api/rooms', { name });
  }

  join(room: string): Observable<Room> {
    return this.api.post<Room>(`/api/rooms/${encodeURIComponent(room)}/join`);
  }

  leave(room: string): Observable<unknown> {
    return this.api.post<unknown>(`/api/rooms/${encodeURIComponent(room)}/leave`);
  }

  openDirectMessage(userId: string): Observable<Room> {
    return this.api.post<Room>('/api/dms', { userId });
  }

  users(): Observable<readonly User[]> {
    return this.api.get<{ users: User[] }>('/api/users').pipe(map((body) => body.users));
  }
}

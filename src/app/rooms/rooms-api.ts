import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import {
  apiPath,
  type CreateRoomRequest,
  type DirectMessageRequest,
  MAX_LIST_LIMIT,
  type Room,
  type RoomList,
  Routes,
} from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class RoomsApi {
  private readonly api = inject(ApiClient);

  rooms(): Observable<readonly Room[]> {
    // The first page holds all of the caller's rooms and DMs, then public rooms.
    return this.api.get<RoomList>(`${apiPath(Routes.rooms)}?limit=${MAX_LIST_LIMIT}`).pipe(map((body) => body.rooms));
  }

  create(name: string, isPrivate = false): Observable<Room> {
    const request: CreateRoomRequest = isPrivate ? { name, private: true } : { name };
    return this.api.post<Room>(apiPath(Routes.rooms), request);
  }

  join(room: string): Observable<Room> {
    return this.api.post<Room>(apiPath(Routes.joinRoom, { room }));
  }

  leave(room: string): Observable<unknown> {
    return this.api.post<unknown>(apiPath(Routes.leaveRoom, { room }));
  }

  /** The DM with one person (an id), or the group conversation with 2-7 others (their ids). */
  openDirectMessage(people: string | readonly string[]): Observable<Room> {
    const request: DirectMessageRequest = typeof people === 'string' ? { userId: people } : { userIds: people };
    return this.api.post<Room>(apiPath(Routes.directMessages), request);
  }
}

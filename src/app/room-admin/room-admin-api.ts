import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import {
  type AddMemberRequest,
  apiPath,
  MAX_LIST_LIMIT,
  type MemberList,
  type Room,
  Routes,
  type SetRoleRequest,
  type UpdateRoomRequest,
  type UserRef,
} from '../../../contract';
import { ApiClient } from '../core/api-client';
import type { AssignableRole, RoomMember } from './room-admin.actions';

/** A room's members, roles, bans and settings (docs/http-api.md). */
@Injectable({ providedIn: 'root' })
export class RoomAdminApi {
  private readonly api = inject(ApiClient);

  /** The first page of the room's members, each with their role where the room has roles. */
  members(room: string): Observable<readonly RoomMember[]> {
    return this.api
      .get<MemberList>(`${apiPath(Routes.roomMembers, { room })}?limit=${MAX_LIST_LIMIT}`)
      .pipe(map((body) => body.members));
  }

  /** The people banned from the room (owner and admins only). */
  bans(room: string): Observable<readonly UserRef[]> {
    return this.api
      .get<MemberList>(apiPath(Routes.roomBans, { room }))
      .pipe(map((body) => body.members.map(({ id, name }) => ({ id, name }))));
  }

  add(room: string, userId: string): Observable<unknown> {
    const request: AddMemberRequest = { userId };
    return this.api.post<unknown>(apiPath(Routes.roomMembers, { room }), request);
  }

  /** Adds someone to a DM or group conversation: the server answers a new group conversation of its people and them. */
  startGroup(room: string, userId: string): Observable<Room> {
    const request: AddMemberRequest = { userId };
    return this.api.post<Room>(apiPath(Routes.roomMembers, { room }), request);
  }

  /** Takes the person out of the room; `ban` also keeps them from coming back until unbanned. */
  remove(room: string, userId: string, ban: boolean): Observable<unknown> {
    const path = apiPath(Routes.roomMember, { room, userId });
    return this.api.delete<unknown>(ban ? `${path}?ban=true` : path);
  }

  setRole(room: string, userId: string, role: AssignableRole): Observable<unknown> {
    const request: SetRoleRequest = { role };
    return this.api.put<unknown>(apiPath(Routes.roomMember, { room, userId }), request);
  }

  unban(room: string, userId: string): Observable<unknown> {
    return this.api.delete<unknown>(apiPath(Routes.roomBan, { room, userId }));
  }

  update(room: string, changes: UpdateRoomRequest): Observable<unknown> {
    return this.api.patch<unknown>(apiPath(Routes.room, { room }), changes);
  }
}

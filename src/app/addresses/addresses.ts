/**
 * The SPA's addresses (docs/behaviour.md, "Addresses"): `/r/{room}` for a room or direct message,
 * `/r/{room}/m/{message id}` for a message. Anything else goes to `general`.
 */
import type { RouterStateSnapshot, Routes, UrlMatchResult, UrlSegment } from '@angular/router';

import { GENERAL_ROOM, messageAddress, ROOM_NAME_PATTERN, roomAddress } from '../../../contract';

const ROOM = 'r';
const MESSAGE = 'm';

/** The contract writes addresses (the server puts them in pushes); the router below reads them. */
export const roomPath = roomAddress;
export const messagePath = messageAddress;

/**
 * `r/{room}` and `r/{room}/m/{id}` for a room name the server could have. The message id is
 * not checked here: the server answers a bad one, and the room then says the message is missing.
 */
export function matchAddress(segments: UrlSegment[]): UrlMatchResult | null {
  const [kind, room, message, id] = segments;
  if (kind?.path !== ROOM || room === undefined || !ROOM_NAME_PATTERN.test(room.path)) return null;
  if (segments.length === 2) return { consumed: segments, posParams: { room } };
  if (segments.length === 4 && message?.path === MESSAGE && id !== undefined && id.path !== '') {
    return { consumed: segments, posParams: { room, id } };
  }
  return null;
}

/** No component of their own: the chat shows whatever room the address names (addresses.effects.ts). */
export const addressRoutes: Routes = [
  { matcher: matchAddress, children: [] },
  { path: '**', redirectTo: roomPath(GENERAL_ROOM) },
];

export interface Address {
  readonly room: string;
  readonly messageId: string | null;
}

/** The room (and message) the router's current state names; null before the first navigation ends. */
export function addressOf(state: RouterStateSnapshot): Address | null {
  let route = state.root;
  while (route.firstChild) route = route.firstChild;
  const room = route.paramMap.get('room');
  return room === null ? null : { room, messageId: route.paramMap.get('id') };
}

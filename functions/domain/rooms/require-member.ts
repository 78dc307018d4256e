/**
 * The membership gate of every room-scoped function: members pass, others learn 403 or, for no such
 * room (or a DM between others, which answers exactly as one that does not exist), 404.
 */
import type { Principal } from '../../platform/http/identity';
import { forbidden, HttpError, notFound } from '../../platform/http/responses';
import { isMember } from './memberships-store';
import { GENERAL, visibleRoom } from './rooms-store';

export async function requireMember(room: string, user: Principal): Promise<void> {
  if (await isMember(room, user.id)) return;
  const known = room === GENERAL || (await visibleRoom(room, user.id)) !== undefined;
  throw new HttpError(known ? forbidden(`You are not a member of ${room}`) : noSuchRoom(room));
}

/** The one answer for a room that does not exist, and for a DM between others. */
export const noSuchRoom = (room: string) => notFound(`No room ${room}`);

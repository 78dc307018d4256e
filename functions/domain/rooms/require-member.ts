/**
 * The membership gate of every room-scoped function: members pass, others learn 403 or, for no such
 * room (a private room they are not in, or a DM between others, which answer exactly as one that
 * does not exist: rooms-store.ts visibleRoom), 404.
 */
import { GENERAL_ROOM } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { conflict, forbidden, HttpError, notFound } from '../../platform/http/responses';
import { membershipOf, type MembershipState } from './memberships-store';
import { GENERAL, getRoom, type RoomEntity, visibleRoom } from './rooms-store';

export async function requireMember(room: string, user: Principal): Promise<MembershipState> {
  const membership = await membershipOf(room, user.id);
  if (membership.member) return membership;
  throw await refusal(room, user);
}

/** The refusal of a non-member: 403 where they may know the room exists, else as for no such room. */
async function refusal(room: string, user: Principal): Promise<HttpError> {
  const known = room === GENERAL || (await visibleRoom(room, user.id)) !== undefined;
  return new HttpError(known ? forbidden(`You are not a member of ${room}`) : noSuchRoom(room));
}

/**
 * The gate of what writes to a room (a send, an edit, a reaction, typing, an upload): a member, and
 * the room not archived (409). The room's row is read beside the membership (one step).
 */
export async function requireWritable(
  room: string,
  user: Principal,
): Promise<{ membership: MembershipState; entity: RoomEntity | undefined }> {
  const [membership, entity] = await Promise.all([
    membershipOf(room, user.id),
    room === GENERAL_ROOM ? undefined : getRoom(room),
  ]);
  if (!membership.member) throw await refusal(room, user);
  if (entity?.archived) throw new HttpError(archivedRoom(room));
  return { membership, entity };
}

/** The answer to a change of an archived room. */
export const archivedRoom = (room: string) => conflict(`${room} is archived: it is read-only`);

/** The one answer for a room that does not exist, for a private room to a non-member, and for a DM between others. */
export const noSuchRoom = (room: string) => notFound(`No room ${room}`);

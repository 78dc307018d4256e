/**
 * Joining and leaving: the person's membership (memberships-store.ts), then the room's index row of
 * them (member-index-store.ts), written from what their partition says after the change.
 */
import type { Principal } from '../../platform/http/identity';
import { indexMembership } from './member-index-store';
import { writeMembership } from './memberships-store';

/**
 * Changes one person's membership of one room, serialised with every other membership change of
 * that person (the version row's ETag), and answers whether they are a member afterwards, as read
 * back from storage after the write: the SignalR group action a caller emits follows that answer,
 * never what it meant to do.
 */
export async function changeMembership(
  room: string,
  user: Principal,
  member: boolean,
  moderator = false,
): Promise<boolean> {
  await writeMembership(room, user, member, moderator);
  return indexMembership(room, user);
}

/** `moderator`: the person created the room (see rooms-store.ts moderates); kept on their membership row. */
export async function addMember(room: string, user: Principal, moderator = false): Promise<boolean> {
  return changeMembership(room, user, true, moderator);
}

export async function removeMember(room: string, userId: string): Promise<boolean> {
  return changeMembership(room, { id: userId, name: userId }, false);
}

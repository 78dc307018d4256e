/**
 * Joining and leaving, adding and removing, banning and roles: the person's membership
 * (memberships-store.ts), then the room's index row of them (member-index-store.ts), written from
 * what their partition says after the change.
 */
import type { RoomRole } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { indexMembership } from './member-index-store';
import { type MembershipState, type MembershipWrite, updateMembership } from './memberships-store';

/**
 * Changes one person's membership of one room, serialised with every other membership change of
 * that person (the version row's ETag), and answers their membership afterwards, as read back from
 * storage after the write: the SignalR group action a caller emits follows that answer, never what
 * it meant to do.
 */
export async function changeMembership(
  room: string,
  user: Principal,
  decide: (current: MembershipState) => MembershipWrite | undefined,
): Promise<MembershipState> {
  await updateMembership(room, user, decide);
  return indexMembership(room, user);
}

/** Joins (or is added) with `role` unless already in (kept as they are) or banned (kept out). */
export async function addMember(room: string, user: Principal, role: RoomRole = 'member'): Promise<boolean> {
  const after = await changeMembership(room, user, (current) =>
    current.member || current.banned ? undefined : { member: true, role },
  );
  return after.member;
}

/** Leaves, or is taken out; `ban` also bans (a non-member too). A ban is kept by a later leave. */
export async function removeMember(room: string, userId: string, ban = false, name = userId): Promise<boolean> {
  const after = await changeMembership(room, { id: userId, name }, (current) =>
    current.member || (ban && !current.banned) ? { member: false, banned: ban || current.banned } : undefined,
  );
  return after.member;
}

/** Lifts a ban: the person stays out until they join or are added. */
export async function unban(room: string, user: Principal): Promise<void> {
  await changeMembership(room, user, (current) => (current.banned ? { member: false, banned: false } : undefined));
}

/**
 * Sets a member's role; a non-member is left out (answered as not a member), and an owner stays
 * owner (ownership passes only by making another the owner, as the owner leaves).
 */
export async function setRole(room: string, user: Principal, role: RoomRole): Promise<MembershipState> {
  return changeMembership(room, user, (current) =>
    current.member && current.role !== role && current.role !== 'owner' ? { member: true, role } : undefined,
  );
}

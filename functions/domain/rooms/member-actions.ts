/**
 * What the member routes share: the gate of a room to manage, taking someone out (leave, removal,
 * ban) with ownership passing first when they own the room, and the events each change sends. Who
 * may do what: docs/behaviour.md, Rooms, roles and moderation.
 */
import type { MemberChangedEvent, Room, RoomRole } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { badRequest, forbidden, HttpError } from '../../platform/http/responses';
import {
  event,
  groupActionFor,
  roomMessage,
  type SignalRGroupAction,
  type SignalRMessageAction,
} from '../../platform/signalr/signalr';
import { fenceRoom } from '../messages/room-log';
import { successorsOf } from './member-index-store';
import { removeMember, setRole } from './membership-changes';
import { membershipOf, type MembershipState } from './memberships-store';
import { noSuchRoom } from './require-member';
import {
  dmMembers,
  GENERAL,
  getRoom,
  moderates,
  openConversation,
  roleIn,
  type RoomEntity,
  toRoom,
  updateRoom,
} from './rooms-store';

export type SignalRAction = SignalRGroupAction | SignalRMessageAction;
export type Gone = NonNullable<MemberChangedEvent['gone']>;

export interface RoomToManage {
  readonly entity: RoomEntity;
  readonly membership: MembershipState;
  /** The caller's role, when a member. */
  readonly role?: RoomRole;
  /** Whether the caller may manage it: owner, admin, or workspace admin. */
  readonly manages: boolean;
}

/**
 * The room a member route acts on, as the caller may see it: a room they may not know exists (a
 * private room they are not in, a DM of others, none) answers exactly as no such room (404);
 * `general` and DMs have no members to manage (400, 403).
 */
export async function roomToManage(room: string, user: Principal): Promise<RoomToManage> {
  if (room === GENERAL) throw new HttpError(badRequest('Everyone is in general: it has no members to manage'));
  const [membership, entity] = await Promise.all([membershipOf(room, user.id), getRoom(room)]);
  const visible =
    entity !== undefined &&
    (entity.kind === 'dm' ? dmMembers(entity).some((p) => p.id === user.id) : !entity.private || membership.member);
  if (!entity || !visible) throw new HttpError(noSuchRoom(room));
  if (entity.kind === 'dm') throw new HttpError(forbidden('A direct message has no members to remove or promote'));
  const role = roleIn(entity, membership, user.id);
  return { entity, membership, ...(role && { role }), manages: moderates(room, entity, user.id, role) };
}

/** `memberChanged` to the room's group. */
export function memberChanged(
  room: string,
  user: Principal,
  change: { readonly role?: RoomRole; readonly gone?: Gone },
): SignalRMessageAction {
  return roomMessage(room, 'memberChanged', { room, user: { id: user.id, name: user.name }, ...change });
}

/** `membership` to every connection of one person: they are out of the room. */
export function membershipGone(room: string, userId: string, removed: Gone): SignalRMessageAction {
  return { ...event('membership', { name: room, removed }), userId };
}

/**
 * Takes `target` out of the room (they left, were removed, or banned — a non-member can be banned
 * too), handing ownership on first if they own it. Answers the SignalR output, in order: the group
 * action that follows their membership as read back, then (when they are out) `membership` to them
 * and `memberChanged` to the room. A removal or ban fences the room's counter after it commits, so
 * no message of theirs that raced it is stored after it (room-log.ts createMessage `gate`).
 */
export async function takeOut(
  room: string,
  entity: RoomEntity,
  target: Principal,
  reason: Gone,
): Promise<{ actions: SignalRAction[]; still: boolean; wasMember: boolean }> {
  const before = await membershipOf(room, target.id);
  const actions: SignalRAction[] = [];
  if (entity.kind === 'room' && before.member && roleIn(entity, before, target.id) === 'owner') {
    actions.push(...(await passOwnership(room, target.id)));
  }
  const still = await removeMember(room, target.id, reason === 'banned', target.name);
  if (before.member && reason !== 'left') await fenceRoom(room);
  if (before.member || still) actions.unshift(groupActionFor(room, target.id, still));
  if (!still && (before.member || reason === 'banned')) {
    actions.push(membershipGone(room, target.id, reason), memberChanged(room, target, { gone: reason }));
  }
  return { actions, still, wasMember: before.member };
}

/**
 * Ownership passes to the longest-standing admin, else the longest-standing member, who must still
 * be a member when their role is written (setRole leaves a non-member out: the next is tried). The
 * room's row then names them, so its creator is no longer taken for its owner. With nobody left the
 * room has no owner (workspace admins may still act in it).
 */
async function passOwnership(room: string, leaving: string): Promise<SignalRMessageAction[]> {
  for (const candidate of await successorsOf(room, leaving)) {
    const after = await setRole(room, candidate, 'owner');
    if (!after.member) continue;
    await updateRoom(room, { owner: candidate.id });
    return [memberChanged(room, candidate, { role: 'owner' })];
  }
  await updateRoom(room, { owner: '' });
  return [];
}

/**
 * The output of opening a group conversation: each person it added joins its SignalR group (as
 * stored), and everyone added but the caller is told by `membership` with it (every tab shows it).
 */
export async function conversationOpened(
  me: Principal,
  others: readonly Principal[],
): Promise<{ room: Room; actions: SignalRAction[] }> {
  const opened = await openConversation(me, others);
  const actions: SignalRAction[] = opened.added.map((id) =>
    groupActionFor(opened.name, id, opened.members.get(id) === true),
  );
  for (const person of others) {
    if (person.id === me.id || !opened.added.includes(person.id) || opened.members.get(person.id) !== true) continue;
    const room = toRoom(opened.entity, person, true);
    actions.push({ ...event('membership', { name: opened.name, room }), userId: person.id });
  }
  return { room: toRoom(opened.entity, me, opened.members.get(me.id) === true), actions };
}

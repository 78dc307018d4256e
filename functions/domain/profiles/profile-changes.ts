/**
 * A change of what people see of a person (name, about line, time zone, avatar, status): stored on
 * their row (people-store.ts), then ONE `profileChanged` event to everyone carrying the new card, as
 * `presence` goes: a single SignalR message per change, fanned out by the service, never one per
 * recipient (docs/people.md, "What a change costs").
 */
import type { Profile } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { HttpError, notFound } from '../../platform/http/responses';
import { event, type SignalRMessageAction } from '../../platform/signalr/signalr';
import { profileOf } from '../people/cards';
import { changePerson, type Person, rememberUser } from '../people/people-store';
import { doNotDisturbUntil } from '../presence/do-not-disturb';
import { presenceOf } from '../presence/presence-state';
import { renameInRooms } from '../rooms/member-index-store';

export interface ProfileChange {
  /** The caller's own card after the change (with do not disturb). */
  readonly profile: Profile;
  /** The event to send, when anything others see changed. */
  readonly message?: SignalRMessageAction;
  readonly before: Person;
  readonly after: Person;
}

/**
 * Applies `change` to the caller's row (recording them first if no sign-in did), follows a rename
 * into the name index and the member index of their rooms, and answers their new card and the
 * `profileChanged` event (none when nothing changed).
 */
export async function changeProfile(
  user: Principal,
  change: (person: Person) => Person | undefined,
): Promise<ProfileChange> {
  let changed = await changePerson(user.id, change);
  if (changed === 'unknown') {
    await rememberUser(user);
    changed = await changePerson(user.id, change);
    if (changed === 'unknown') throw new HttpError(notFound('Hubbub does not know you yet: sign in again'));
  }
  const { before, after } = changed;
  if (after.name !== before.name) await renameInRooms(user.id, after.name);
  const now = Date.now();
  const [presence, dnd] = await Promise.all([presenceOf(user.id, now), doNotDisturbUntil(user.id, now)]);
  const profile = profileOf(after, presence, now, dnd);
  if (after === before) return { profile, before, after };
  return { profile, before, after, message: event('profileChanged', profileOf(after, presence, now)) };
}

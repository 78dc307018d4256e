/**
 * How people are shown: the list entry (`User`: name, avatar version, status, presence) and the
 * profile card (`Profile`), from the person's row (people-store.ts), their presence
 * (presence-state.ts) and, for their own card, do not disturb. A status past its `expiresAt` reads
 * as none everywhere; clients drop it at that time themselves (docs/people.md, "Status").
 */
import type { PresenceState, Profile, User, UserStatus } from '../../../contract';
import type { Principal } from '../../platform/http/identity';
import { doNotDisturbUntil } from '../presence/do-not-disturb';
import { presenceOf } from '../presence/presence-state';
import { findPerson, type Person } from './people-store';

/** The status as others see it at `now`: none once expired. */
export function currentStatus(person: Person, now = Date.now()): UserStatus | undefined {
  const status = person.status;
  if (!status) return undefined;
  if (status.expiresAt !== undefined && Date.parse(status.expiresAt) <= now) return undefined;
  return status;
}

function userOf(person: Person, presence: PresenceState, now: number): User {
  const status = currentStatus(person, now);
  return {
    id: person.id,
    name: person.name,
    online: presence !== 'offline',
    presence,
    ...(person.avatar && { avatar: person.avatar.version }),
    ...(status && { status }),
  };
}

/** The profile card of a person as stored, with their presence (and do not disturb on their own card). */
export function profileOf(person: Person, presence: PresenceState, now = Date.now(), dndUntil?: string): Profile {
  const status = currentStatus(person, now);
  return {
    id: person.id,
    name: person.name,
    presence,
    ...(person.avatar && { avatar: person.avatar.version }),
    ...(person.about && { about: person.about }),
    ...(person.timeZone && { timeZone: person.timeZone }),
    ...(status && { status }),
    ...(dndUntil && { doNotDisturbUntil: dndUntil }),
  };
}

/** Someone's profile card, or undefined for someone Hubbub never saw. `own`: the caller's own (with do not disturb). */
export async function findProfile(id: string, own = false, now = Date.now()): Promise<Profile | undefined> {
  const [person, presence, dnd] = await Promise.all([
    findPerson(id),
    presenceOf(id, now),
    own ? doNotDisturbUntil(id, now) : Promise.resolve(undefined),
  ]);
  return person && profileOf(person, presence, now, dnd);
}

/** How many people's cards are read at once (a page of the people list is at most 100; blocks up to 1,000). */
const CONCURRENCY = 100;

/**
 * The list entries of these people, in the order given: their row and presence (one point read and
 * one partition query each, in parallel; do not disturb read for those online). Someone whose row is
 * gone keeps the name the list had, with no avatar or status.
 */
export async function usersOf(people: readonly Principal[], now = Date.now()): Promise<User[]> {
  const users: User[] = [];
  for (let i = 0; i < people.length; i += CONCURRENCY) {
    const slice = people.slice(i, i + CONCURRENCY);
    users.push(
      ...(await Promise.all(
        slice.map(async (known) => {
          const [person, presence] = await Promise.all([findPerson(known.id), presenceOf(known.id, now)]);
          return userOf(person ?? { ...known, nameChosen: false }, presence, now);
        }),
      )),
    );
  }
  return users;
}

/**
 * A person's presence state (docs/people.md, "Presence"): `offline` with no live connection, else
 * `dnd` while do not disturb is on, else `away` when their latest heartbeat said so, else `active`.
 *
 * The state last announced is stored beside the connections (presence-store.ts): whatever may change
 * the state (a first connection, the last one gone, a heartbeat, the sweep, do not disturb turned on
 * or off) settles it here, and only the caller whose conditional write moved it announces the change,
 * so each change is one `presence` event however many tabs and instances saw it happen.
 */
import type { PresenceState } from '../../../contract';
import { doNotDisturbUntil } from './do-not-disturb';
import { type PresenceRecord, presenceRecord, recordPresence } from './presence-store';

const MAX_ATTEMPTS = 10;

function stateOf(live: number, away: boolean, dnd: boolean): PresenceState {
  if (live === 0) return 'offline';
  if (dnd) return 'dnd';
  return away ? 'away' : 'active';
}

/** The person's state now (do not disturb is read only for someone online). */
export async function presenceOf(userId: string, now = Date.now()): Promise<PresenceState> {
  const record = await presenceRecord(userId, now);
  if (record.live === 0) return 'offline';
  return stateOf(record.live, record.away, (await doNotDisturbUntil(userId, now)) !== undefined);
}

/** What settles a state: a heartbeat's `away`, and whether the person had no live connection before. */
export interface PresenceCause {
  readonly away?: boolean;
  /**
   * The person had no live connection until now. Whoever read a list meanwhile saw them `offline`
   * (lists read live connections), even if no sweep announced it yet: their return is announced.
   */
  readonly cameOnline?: boolean;
  readonly now?: number;
}

/**
 * Brings the stored state up to date and answers the new state if this call changed it (the caller
 * announces it), else undefined. `away`: what a heartbeat said; without it the latest one's word
 * stands, except that someone coming back online starts active.
 */
export async function settlePresence(userId: string, options: PresenceCause = {}): Promise<PresenceState | undefined> {
  const now = options.now ?? Date.now();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read: PresenceRecord = await presenceRecord(userId, now);
    const record = options.cameOnline && attempt === 0 ? { ...read, announced: 'offline' as const } : read;
    const away = record.live === 0 ? false : (options.away ?? (record.announced === 'offline' ? false : record.away));
    const dnd = record.live > 0 && (await doNotDisturbUntil(userId, now)) !== undefined;
    const state = stateOf(record.live, away, dnd);
    const unchanged = state === record.announced && away === record.away;
    if (unchanged && (record.etag !== undefined || state === 'offline')) return undefined;
    if (await recordPresence(userId, read, { away, announced: state })) {
      return state === record.announced ? undefined : state;
    }
  }
  return undefined;
}

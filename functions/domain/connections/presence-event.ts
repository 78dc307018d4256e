/**
 * The `presence` event: to everyone, once per change of a person's state (presence-state.ts), by
 * the name Hubbub knows them by. `online` stays for older clients.
 */
import type { PresenceState } from '../../../contract';
import { event, type SignalRMessageAction } from '../../platform/signalr/signalr';
import { findUser } from '../people/people-store';
import { type PresenceCause, settlePresence } from '../presence/presence-state';

export async function presenceMessage(userId: string, state: PresenceState): Promise<SignalRMessageAction> {
  const user = (await findUser(userId)) ?? { id: userId, name: userId };
  return event('presence', { user, online: state !== 'offline', state });
}

/** Settles the person's presence (presence-state.ts) and answers the event to send if it changed. */
export async function presenceChange(
  userId: string,
  options: PresenceCause = {},
): Promise<SignalRMessageAction | undefined> {
  const state = await settlePresence(userId, options);
  return state === undefined ? undefined : presenceMessage(userId, state);
}

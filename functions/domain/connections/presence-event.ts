/**
 * Presence from the SignalR Service's upstream `connections` events (connected.ts, disconnected.ts)
 * and heartbeats: the first connection of a person announces them online and the last one gone
 * announces them offline, by the name Hubbub knows them by.
 */
import { event, type SignalRMessageAction } from '../../platform/signalr/signalr';
import { findUser } from '../people/people-store';

export async function presenceMessage(userId: string, online: boolean): Promise<SignalRMessageAction> {
  const user = (await findUser(userId)) ?? { id: userId, name: userId };
  return event('presence', { user, online });
}

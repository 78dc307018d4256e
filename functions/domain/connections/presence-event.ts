/**
 * Presence from the SignalR Service's upstream `connections` events: a row per live connection;
 * the first connection of a person announces them online and the last one gone announces them
 * offline.
 */
import { event, type SignalRMessageAction } from '../../platform/signalr/signalr';
import { findUser } from '../people/people-store';

/**
 * One upstream connection event, in the shape the SignalR extension hands a `signalRTrigger`
 * function (PascalCase); `signalrEvents` builds it from the upstream request's headers.
 */
export interface SignalRInvocation {
  readonly ConnectionId: string;
  readonly UserId?: string | null;
  readonly Hub?: string;
  readonly Category?: string;
  readonly Event?: string;
  readonly Error?: string | null;
}

export async function presenceMessage(userId: string, online: boolean): Promise<SignalRMessageAction> {
  const user = (await findUser(userId)) ?? { id: userId, name: userId };
  return event('presence', { user, online });
}

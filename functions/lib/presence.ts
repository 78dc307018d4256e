/**
 * Presence from the SignalR Service's upstream `connections` events: a row per live connection;
 * the first connection of a person announces them online and the last one gone announces them
 * offline.
 */
import { trigger } from '@azure/functions';
import { CONNECTION_SETTING, event, HUB, type SignalRMessageAction } from './signalr';
import { findUser } from './users-store';

/** What the SignalR extension hands a `signalRTrigger` function (PascalCase, as the extension writes it). */
export interface SignalRInvocation {
  readonly ConnectionId: string;
  readonly UserId?: string | null;
  readonly Hub?: string;
  readonly Category?: string;
  readonly Event?: string;
  readonly Error?: string | null;
}

export function connectionsTrigger(event: 'connected' | 'disconnected') {
  return trigger.generic({
    type: 'signalRTrigger',
    name: 'invocation',
    hubName: HUB,
    category: 'connections',
    event,
    connectionStringSetting: CONNECTION_SETTING,
  });
}

export async function presenceMessage(userId: string, online: boolean): Promise<SignalRMessageAction> {
  const user = (await findUser(userId)) ?? { id: userId, name: userId };
  return event('presence', { user, online });
}

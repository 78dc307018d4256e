/** The SignalR bindings every function shares: one hub, one connection string setting. */
import { input, output } from '@azure/functions';

import { GENERAL_ROOM, HUB, type ServerEventName, type ServerEventPayload } from '../../../contract';

export { HUB };
export const CONNECTION_SETTING = 'AzureSignalRConnectionString';

export const connectionInfo = input.generic({
  type: 'signalRConnectionInfo',
  name: 'connectionInfo',
  hubName: HUB,
  connectionStringSetting: CONNECTION_SETTING,
  userId: '{headers.x-ms-client-principal-id}',
});

export const signalROut = output.generic({
  type: 'signalR',
  name: 'signalR',
  hubName: HUB,
  connectionStringSetting: CONNECTION_SETTING,
});

export interface SignalRMessageAction {
  readonly target: string;
  readonly arguments: unknown[];
  readonly userId?: string;
  readonly groupName?: string;
  readonly connectionId?: string;
}

/** A message to everyone in a room: `general` is everyone, so it is a broadcast; other rooms are SignalR groups. */
export function roomMessage<K extends ServerEventName>(
  room: string,
  target: K,
  payload: ServerEventPayload<K>,
): SignalRMessageAction {
  return room === GENERAL_ROOM ? event(target, payload) : { ...event(target, payload), groupName: room };
}

/** A server event for everyone (add `userId` or `groupName` to narrow it), its payload typed by the contract. */
export function event<K extends ServerEventName>(target: K, payload: ServerEventPayload<K>): SignalRMessageAction {
  return { target, arguments: [payload] };
}

export interface SignalRGroupAction {
  readonly action: 'add' | 'remove' | 'removeAll';
  readonly groupName?: string;
  readonly userId?: string;
  readonly connectionId?: string;
}

/** The group action that makes a user's SignalR group membership match their stored membership. */
export function groupActionFor(room: string, userId: string, member: boolean): SignalRGroupAction {
  return { action: member ? 'add' : 'remove', groupName: room, userId };
}

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

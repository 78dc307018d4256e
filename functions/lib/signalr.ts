/** The SignalR bindings every function shares: one hub, one connection string setting. */
import { input, output } from '@azure/functions';

export const HUB = 'chat';
export const CONNECTION_SETTING = 'AzureSignalRConnectionString';

/** Server → client targets. Each carries one object argument. */
export const Events = {
  newMessage: 'newMessage',
  typing: 'typing',
  presence: 'presence',
  roomCreated: 'roomCreated',
} as const;

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
export function roomMessage(room: string, target: keyof typeof Events, payload: unknown): SignalRMessageAction {
  return room === 'general'
    ? { target: Events[target], arguments: [payload] }
    : { target: Events[target], arguments: [payload], groupName: room };
}

export interface SignalRGroupAction {
  readonly action: 'add' | 'remove' | 'removeAll';
  readonly groupName?: string;
  readonly userId?: string;
  readonly connectionId?: string;
}

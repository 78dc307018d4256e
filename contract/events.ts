/** Server → client SignalR targets and what each carries (one object argument). */
import type { GenericSchema, InferOutput } from 'valibot';

import { MessageSchema, PresenceEventSchema, RoomSchema, TypingEventSchema } from './schemas';

export const ServerEvents = {
  /** A message was stored in a room. */
  newMessage: MessageSchema,
  /** A message was edited, deleted or reacted to: its whole new state, with a higher `seq`. */
  messageChanged: MessageSchema,
  /** Someone is typing in a room. */
  typing: TypingEventSchema,
  /** Someone came online or went offline. */
  presence: PresenceEventSchema,
  /** A public room was created. */
  roomCreated: RoomSchema,
} as const satisfies Record<string, GenericSchema>;

export type ServerEventName = keyof typeof ServerEvents;

export const SERVER_EVENT_NAMES = Object.keys(ServerEvents) as ServerEventName[];

export type ServerEventPayload<K extends ServerEventName> = InferOutput<(typeof ServerEvents)[K]>;

/** Server → client SignalR targets and what each carries (one object argument). */
import type { GenericSchema, InferOutput } from 'valibot';

import {
  MentionEventSchema,
  MessageSchema,
  PresenceEventSchema,
  ReadStateSchema,
  RoomSchema,
  TypingEventSchema,
} from './schemas';

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
  /** To the user only (every tab and device): their read state of a room changed. */
  readState: ReadStateSchema,
  /** To a mentioned user only: a new message mentions them (or `@room`, or any direct message to them). */
  mention: MentionEventSchema,
} as const satisfies Record<string, GenericSchema>;

export type ServerEventName = keyof typeof ServerEvents;

export const SERVER_EVENT_NAMES = Object.keys(ServerEvents) as ServerEventName[];

export type ServerEventPayload<K extends ServerEventName> = InferOutput<(typeof ServerEvents)[K]>;

/** Server → client SignalR targets and what each carries (one object argument). */
import type { GenericSchema, InferOutput } from 'valibot';

import {
  MemberChangedEventSchema,
  MembershipEventSchema,
  MentionEventSchema,
  MessageSchema,
  PresenceEventSchema,
  ProfileSchema,
  ReactionChangedEventSchema,
  ReadStateSchema,
  RoomChangedEventSchema,
  RoomSchema,
  TypingEventSchema,
} from './schemas';

export const ServerEvents = {
  /** A message was stored in a room. */
  newMessage: MessageSchema,
  /** A message was edited or deleted: its whole new state, with a higher `seq`. */
  messageChanged: MessageSchema,
  /** To a room's group: someone added or removed a reaction (a delta, not the message). */
  reactionChanged: ReactionChangedEventSchema,
  /** Someone is typing in a room. */
  typing: TypingEventSchema,
  /** Someone came online or went offline, went away or came back, or turned do not disturb on or off. */
  presence: PresenceEventSchema,
  /** To everyone: a person's name, avatar, about line, time zone or status changed (the whole new card). */
  profileChanged: ProfileSchema,
  /** A public room was created. */
  roomCreated: RoomSchema,
  /** To the user only (every tab and device): their read state of a room changed. */
  readState: ReadStateSchema,
  /**
   * A message (new, or an edit's) tells people of it: by user id to each person it names and to the
   * other person of a DM; for `@room`, once to the room's group — clients skip their own messages and
   * rooms they muted. Nobody is told of one message twice by name, nor a room twice by `@room`.
   */
  mention: MentionEventSchema,
  /** To the user only (every tab and device): they were added to a room, or are out of one. */
  membership: MembershipEventSchema,
  /** To a room's group: its title, topic or archive state changed. */
  roomChanged: RoomChangedEventSchema,
  /** To a room's group: someone joined, left, was removed or banned, or their role changed. */
  memberChanged: MemberChangedEventSchema,
} as const satisfies Record<string, GenericSchema>;

export type ServerEventName = keyof typeof ServerEvents;

export const SERVER_EVENT_NAMES = Object.keys(ServerEvents) as ServerEventName[];

export type ServerEventPayload<K extends ServerEventName> = InferOutput<(typeof ServerEvents)[K]>;

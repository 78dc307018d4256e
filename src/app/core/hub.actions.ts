import { createActionGroup, props } from '@ngrx/store';

import type {
  MemberChangedEvent,
  MembershipEvent,
  MentionEvent,
  Message,
  PresenceEvent,
  Profile,
  ReactionChangedEvent,
  ReadState,
  Room,
  RoomChangedEvent,
  TypingEvent,
} from '../../../contract';
import type { HubState } from './chat-hub';

/** What the SignalR hub told us. */
export const ChatHubActions = createActionGroup({
  source: 'Chat Hub',
  events: {
    'State Changed': props<{ state: HubState }>(),
    'Message Received': props<{ message: Message }>(),
    /** An edit or deletion: the message's whole new state. */
    'Message Changed': props<{ message: Message }>(),
    /** Someone added or removed a reaction; `byViewer`: it was the signed-in person (in any tab or device). */
    'Reaction Changed': props<{ change: ReactionChangedEvent; byViewer: boolean }>(),
    'Typing Received': props<{ typing: TypingEvent }>(),
    'Presence Changed': props<{ presence: PresenceEvent }>(),
    /** A person's name, avatar, about line, time zone or status changed: their whole new card. */
    'Profile Changed': props<{ profile: Profile }>(),
    'Room Created': props<{ room: Room }>(),
    /** The user's read state of a room changed (in this tab, another tab or another device). */
    'Read State Received': props<{ state: ReadState }>(),
    /** A new message mentions the user (or `@room`, or any message of a direct message to them). */
    'Mention Received': props<{ mention: MentionEvent }>(),
    /** The user was added to a room, or is out of one (removed, banned, or left in another tab). */
    'Membership Changed': props<{ membership: MembershipEvent }>(),
    /** A room's title, topic or archive state changed. */
    'Room Changed': props<{ change: RoomChangedEvent }>(),
    /** Someone joined, left, was removed or banned from a room, or their role there changed. */
    'Member Changed': props<{ change: MemberChangedEvent }>(),
  },
});

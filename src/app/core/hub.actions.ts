import { createActionGroup, props } from '@ngrx/store';

import type {
  MentionEvent,
  Message,
  PresenceEvent,
  ReactionChangedEvent,
  ReadState,
  Room,
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
    'Room Created': props<{ room: Room }>(),
    /** The user's read state of a room changed (in this tab, another tab or another device). */
    'Read State Received': props<{ state: ReadState }>(),
    /** A new message mentions the user (or `@room`, or any message of a direct message to them). */
    'Mention Received': props<{ mention: MentionEvent }>(),
  },
});

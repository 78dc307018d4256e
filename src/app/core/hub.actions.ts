import { createActionGroup, props } from '@ngrx/store';

import type { Message, PresenceEvent, Room, TypingEvent } from '../../../contract';
import type { HubState } from './chat-hub';

/** What the SignalR hub told us. */
export const ChatHubActions = createActionGroup({
  source: 'Chat Hub',
  events: {
    'State Changed': props<{ state: HubState }>(),
    'Message Received': props<{ message: Message }>(),
    /** An edit, deletion or reaction: the message's whole new state. */
    'Message Changed': props<{ message: Message }>(),
    'Typing Received': props<{ typing: TypingEvent }>(),
    'Presence Changed': props<{ presence: PresenceEvent }>(),
    'Room Created': props<{ room: Room }>(),
  },
});

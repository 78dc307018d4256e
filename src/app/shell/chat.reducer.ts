import { createReducer } from '@ngrx/store';

import { linkedMessageReducers } from '../addresses/linked-message.reducer';
import { historyReducers } from '../history/history.reducer';
import { messageActionsReducers } from '../message-actions/message-actions.reducer';
import { chatReducers } from '../messages/chat.reducer';
import { initialChatState } from '../messages/chat.state';
import { outboxReducers } from '../outbox/outbox.reducer';
import { openRoomReducers } from '../rooms/open-room.reducer';

/**
 * The `chat` slice's reducer: the kernel's handlers, then each slice's for the same messages.
 * Composed here, on top, so the kernel never imports the slices that reduce into it.
 */
export const chatReducer = createReducer(
  initialChatState,
  ...chatReducers,
  ...openRoomReducers,
  ...outboxReducers,
  ...historyReducers,
  ...messageActionsReducers,
  ...linkedMessageReducers,
);

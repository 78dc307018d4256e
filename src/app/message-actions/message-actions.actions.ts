import { createActionGroup, props } from '@ngrx/store';

import type { Message, UserRef } from '../../../contract';
import type { ChatMessage } from '../messages/chat-message';

/** What the user did from a message's menu (or its reactions, or the inline editor). */
export const MessageMenuActions = createActionGroup({
  source: 'Message Menu',
  events: {
    /**
     * `revision` counts up with each edit, so the server keeps the newest of edits that arrive out
     * of order. `mentions` and `mentionsRoom` are whom the edited text mentions (encoded as a new
     * message's): they replace what the message mentioned.
     */
    'Edit Saved': props<{
      message: ChatMessage;
      text: string;
      mentions: readonly string[];
      mentionsRoom: boolean;
      revision: number;
      editedAt: string;
    }>(),
    'Delete Confirmed': props<{ message: ChatMessage; by: UserRef }>(),
    'Reaction Toggled': props<{ message: ChatMessage; emoji: string; add: boolean; user: UserRef }>(),
    'Error Dismissed': props<{ id: string }>(),
  },
});

/** How a change to a message went. */
export const MessageActionsApiActions = createActionGroup({
  source: 'Message Actions API',
  events: {
    'Change Saved': props<{ message: Message }>(),
    /** `previous`: the copy held before the optimistic change, restored unless a newer one arrived meanwhile. */
    'Change Failed': props<{ previous: ChatMessage; error: string }>(),
  },
});

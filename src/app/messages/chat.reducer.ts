import { on } from '@ngrx/store';

import { BrowserActions } from '../core/browser.actions';
import { ChatHubActions } from '../core/hub.actions';
import { applyReaction, changeVisibility, type ChatState, openRoom, upsertChanged, upsertSent } from './chat.state';
import { ChatPageActions } from './chat-page.actions';

/**
 * What the kernel itself does to the `chat` slice: open a room, follow the tab's visibility, take
 * messages from the hub. The slices that change the same messages (outbox, history, message
 * actions, rooms) bring their own `on` handlers; the app composes them into one reducer.
 */
export const chatReducers = [
  on(ChatPageActions.roomSelected, (state: ChatState, { room }): ChatState => openRoom(state, room)),
  on(BrowserActions.visibilityChanged, (state: ChatState, { visible }): ChatState => changeVisibility(state, visible)),
  on(ChatHubActions.messageReceived, (state: ChatState, { message }): ChatState => upsertSent([message], state)),
  // Connecting went through the API (negotiate): the server can be reached again.
  on(ChatHubActions.stateChanged, (state: ChatState, { state: hub }): ChatState =>
    hub === 'connected' && state.serverUnreachable ? { ...state, serverUnreachable: false } : state,
  ),
  on(ChatHubActions.messageChanged, (state: ChatState, { message }): ChatState => upsertChanged([message], state)),
  on(ChatHubActions.reactionChanged, (state: ChatState, { change, byViewer }): ChatState =>
    applyReaction(state, change, byViewer),
  ),
];

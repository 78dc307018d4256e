import { createFeatureSelector, createSelector } from '@ngrx/store';

import { type ChatState, messagesAdapter } from './chat.state';

const selectChatState = createFeatureSelector<ChatState>('chat');
const selectActiveRoom = createSelector(selectChatState, (state) => state.activeRoom);
const { selectAll: selectAllMessages } = messagesAdapter.getSelectors(selectChatState);

/** The `chat` slice read by every feature; its reducer is composed where all the slices meet. */
export const chatSelectors = {
  selectChatState,
  selectActiveRoom,
  selectVisible: createSelector(selectChatState, (state) => state.visible),
  selectHistory: createSelector(selectChatState, (state) => state.history),
  selectLastRead: createSelector(selectChatState, (state) => state.lastRead),
  selectReadMarker: createSelector(selectChatState, (state) => state.readMarker),
  selectComposerError: createSelector(selectChatState, (state) => state.composerError),
  selectServerUnreachable: createSelector(selectChatState, (state) => state.serverUnreachable),
  selectChangeError: createSelector(selectChatState, (state) => state.changeError),
  selectSeek: createSelector(selectChatState, (state) => state.seek),
  selectLinked: createSelector(selectChatState, (state) => state.linked),
  selectAllMessages,
  selectActiveMessages: createSelector(selectAllMessages, selectActiveRoom, (messages, room) =>
    messages.filter((message) => message.room === room),
  ),
};

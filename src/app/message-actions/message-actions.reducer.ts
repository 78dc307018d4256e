import { on } from '@ngrx/store';

import { MAX_REACTIONS_PER_MESSAGE } from '../../../contract';
import { type ChatState, messagesAdapter, upsertSent } from '../messages/chat.state';
import type { ChatMessage } from '../messages/chat-message';
import { MessageActionsApiActions, MessageMenuActions } from './message-actions.actions';
import { toggleReaction } from './reactions';

/**
 * Shows a change before the server confirms it; the copy keeps its change number, so any server
 * copy replaces it. `change` is the fields to set, or makes the new copy from the one held.
 */
function optimistic(
  state: ChatState,
  message: ChatMessage,
  change: Partial<ChatMessage> | ((held: ChatMessage) => ChatMessage),
): ChatState {
  const held = state.entities[message.id];
  if (!held || held.status !== 'sent') return state;
  const next = typeof change === 'function' ? change(held) : { ...held, ...change };
  return {
    ...messagesAdapter.setOne(next, state),
    changeError: state.changeError?.id === message.id ? null : state.changeError,
  };
}

/**
 * Edits, deletions and reactions: shown at once where that is safe (the server will agree unless
 * something changed meanwhile), replaced by the server's copy when it answers, and rolled back to
 * the copy held before when it refuses.
 */
export const messageActionsReducers = [
  // The edit says whom the text mentions now: shown at once (the server keeps only members; its copy follows).
  on(MessageMenuActions.editSaved, (state: ChatState, { message, text, mentions, mentionsRoom, editedAt }): ChatState =>
    optimistic(state, message, (held) => {
      const { mentions: _mentions, mentionsRoom: _mentionsRoom, ...rest } = held;
      return {
        ...rest,
        text,
        editedAt,
        ...(mentions.length > 0 && { mentions: [...mentions] }),
        ...(mentionsRoom && { mentionsRoom }),
      };
    }),
  ),
  // Only the author's own deletion is shown at once: whether someone else may moderate is the server's to say.
  on(MessageMenuActions.deleteConfirmed, (state: ChatState, { message, by }): ChatState => {
    if (message.sender.id !== by.id) {
      return state.changeError?.id === message.id ? { ...state, changeError: null } : state;
    }
    const held = state.entities[message.id];
    if (!held) return state;
    const { reactions: _reactions, editedAt: _editedAt, ...rest } = held;
    return optimistic(messagesAdapter.setOne(rest, state), message, { text: '', deleted: true });
  }),
  on(MessageMenuActions.reactionToggled, (state: ChatState, { message, emoji, add, user }): ChatState => {
    const held = state.entities[message.id];
    if (!held) return state;
    const reactions = toggleReaction(held.reactions, emoji, user, add);
    // Over the limit the server refuses: do not show what will not stay.
    if (reactions.length > MAX_REACTIONS_PER_MESSAGE) return state;
    return optimistic(state, message, { reactions });
  }),
  on(MessageMenuActions.errorDismissed, (state: ChatState, { id }): ChatState =>
    state.changeError?.id === id ? { ...state, changeError: null } : state,
  ),
  on(MessageActionsApiActions.changeSaved, (state: ChatState, { message }): ChatState => upsertSent([message], state)),
  on(MessageActionsApiActions.changeFailed, (state: ChatState, { previous, error }): ChatState => {
    const held = state.entities[previous.id];
    // A server copy that arrived meanwhile is the truth; otherwise the optimistic copy goes.
    const rolledBack = held && held.seq === previous.seq ? messagesAdapter.setOne(previous, state) : state;
    return { ...rolledBack, changeError: { id: previous.id, message: error } };
  }),
];

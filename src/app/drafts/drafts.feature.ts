import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import { AttachmentTrayActions } from '../attachments/attachments.actions';
import { SessionApiActions } from '../auth/session.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { ComposerDraftActions, DraftStorageActions } from './drafts.actions';

/** What the composer shows for a room. */
export interface Draft {
  readonly room: string;
  readonly text: string;
}

/** Per room, the text typed and not sent yet (kept in localStorage per signed-in user). */
export interface DraftsState {
  readonly restored: boolean;
  readonly drafts: Readonly<Record<string, string>>;
}

const initialState: DraftsState = { restored: false, drafts: {} };

function without(drafts: Readonly<Record<string, string>>, room: string): Readonly<Record<string, string>> {
  if (!(room in drafts)) return drafts;
  const { [room]: _sent, ...rest } = drafts;
  return rest;
}

export const draftsFeature = createFeature({
  name: 'drafts',
  reducer: createReducer(
    initialState,
    on(SessionApiActions.signedIn, (): DraftsState => initialState),
    // Drafts typed before storage answered (none, in practice) win over the stored ones.
    on(DraftStorageActions.draftsRestored, (state, { drafts }): DraftsState => ({
      restored: true,
      drafts: { ...drafts, ...state.drafts },
    })),
    on(ComposerDraftActions.draftChanged, (state, { room, text }): DraftsState => ({
      ...state,
      drafts: text === '' ? without(state.drafts, room) : { ...state.drafts, [room]: text },
    })),
    // A message with files is sent too (its text waits with it for the uploads): its draft goes.
    on(ChatPageActions.messageSent, AttachmentTrayActions.messageWithFilesSent, (state, { message }): DraftsState => ({
      ...state,
      drafts: without(state.drafts, message.room),
    })),
  ),
  extraSelectors: ({ selectRestored, selectDrafts }) => ({
    /** The open room's draft, once the stored drafts are known (null before: the composer waits). */
    selectActiveDraft: createSelector(
      selectRestored,
      selectDrafts,
      chatSelectors.selectActiveRoom,
      (restored, drafts, room): Draft | null => (restored ? { room, text: drafts[room] ?? '' } : null),
    ),
  }),
});

import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import { chatSelectors } from '../messages/chat.selectors';
import type { ChatMessage } from '../messages/chat-message';
import { AttachmentsOutboxActions, AttachmentTrayActions, UploadsApiActions } from './attachments.actions';
import { attachmentOf, type UploadItem } from './upload-item';

export interface AttachmentsState {
  readonly items: EntityState<UploadItem>;
  /** Messages the user sent that wait for their files, by id. */
  readonly waiting: Readonly<Record<string, ChatMessage>>;
}

export const itemsAdapter = createEntityAdapter<UploadItem>({ selectId: (item) => item.key });

export const initialAttachmentsState: AttachmentsState = { items: itemsAdapter.getInitialState(), waiting: {} };

const update = (state: AttachmentsState, key: string, changes: Partial<UploadItem>): AttachmentsState =>
  state.items.entities[key] ? { ...state, items: itemsAdapter.updateOne({ id: key, changes }, state.items) } : state;

export const attachmentsFeature = createFeature({
  name: 'attachments',
  reducer: createReducer(
    initialAttachmentsState,
    on(AttachmentTrayActions.filesAttached, (state, { items }): AttachmentsState => ({
      ...state,
      items: itemsAdapter.addMany([...items], state.items),
    })),
    on(AttachmentTrayActions.messageWithFilesSent, (state, { message }): AttachmentsState => {
      const drafts = Object.values(state.items.entities).filter(
        (item): item is UploadItem => !!item && item.room === message.room && item.messageId === undefined,
      );
      return {
        items: itemsAdapter.updateMany(
          drafts.map((item) => ({ id: item.key, changes: { messageId: message.id } })),
          state.items,
        ),
        waiting: { ...state.waiting, [message.id]: message },
      };
    }),
    on(AttachmentTrayActions.retryClicked, (state, { key }): AttachmentsState =>
      update(state, key, { status: 'preparing', loaded: 0, error: undefined, retryable: undefined }),
    ),
    on(AttachmentTrayActions.fileChosenAgain, (state, { key, name, size, mimeType, error }): AttachmentsState => {
      const item = state.items.entities[key];
      if (!item) return state;
      const { uploadId: _u, thumbnailId: _t, width: _w, height: _h, error: _e, retryable: _r, ...kept } = item;
      const fresh: UploadItem = { ...kept, name, size, type: mimeType, loaded: 0, status: 'preparing' };
      return {
        ...state,
        items: itemsAdapter.setOne(
          error === undefined ? fresh : { ...fresh, status: 'failed', error, retryable: false },
          state.items,
        ),
      };
    }),
    on(UploadsApiActions.retryAfterReconnect, (state, { keys }): AttachmentsState =>
      keys.reduce(
        (next, key) => update(next, key, { status: 'preparing', loaded: 0, error: undefined, retryable: undefined }),
        state,
      ),
    ),
    on(AttachmentTrayActions.cancelClicked, AttachmentTrayActions.removeClicked, (state, { key }): AttachmentsState => {
      const messageId = state.items.entities[key]?.messageId;
      const items = itemsAdapter.removeOne(key, state.items);
      const message = messageId === undefined ? undefined : state.waiting[messageId];
      const emptied =
        message &&
        message.text.trim() === '' &&
        !Object.values(items.entities).some((item) => item?.messageId === message.id);
      if (!emptied) return { ...state, items };
      // The last file of a message without words: nothing is left to send.
      const { [message.id]: _dropped, ...waiting } = state.waiting;
      return { items, waiting };
    }),
    on(UploadsApiActions.prepared, (state, { key, width, height, thumbnailId }): AttachmentsState =>
      update(state, key, {
        ...(width !== undefined && { width }),
        ...(height !== undefined && { height }),
        ...(thumbnailId !== undefined && { thumbnailId }),
      }),
    ),
    on(UploadsApiActions.started, (state, { key, uploadId }): AttachmentsState =>
      update(state, key, { status: 'uploading', uploadId, loaded: 0 }),
    ),
    on(UploadsApiActions.progressed, (state, { key, loaded }): AttachmentsState => update(state, key, { loaded })),
    on(UploadsApiActions.stored, (state, { key }): AttachmentsState =>
      update(state, key, { status: 'stored', loaded: state.items.entities[key]?.size ?? 0 }),
    ),
    on(UploadsApiActions.failed, (state, { key, error, retryable }): AttachmentsState =>
      update(state, key, { status: 'failed', error, retryable }),
    ),
    on(AttachmentsOutboxActions.restored, (state, { items, waiting }): AttachmentsState => ({
      items: itemsAdapter.addMany([...items], state.items),
      waiting: { ...Object.fromEntries(waiting.map((message) => [message.id, message])), ...state.waiting },
    })),
    on(AttachmentsOutboxActions.messageReleased, (state, { message }): AttachmentsState => {
      const { [message.id]: _released, ...waiting } = state.waiting;
      const keys = Object.values(state.items.entities)
        .filter((item) => item?.messageId === message.id)
        .map((item) => item?.key ?? '');
      return { items: itemsAdapter.removeMany(keys, state.items), waiting };
    }),
  ),
  extraSelectors: ({ selectItems, selectWaiting }) => {
    const selectAllItems = createSelector(selectItems, itemsAdapter.getSelectors().selectAll);
    const selectActiveItems = createSelector(selectAllItems, chatSelectors.selectActiveRoom, (items, room) =>
      items.filter((item) => item.room === room),
    );
    return {
      selectAllItems,
      /** Files in the composer of the room on screen (not sent yet). */
      selectActiveDrafts: createSelector(selectActiveItems, (items) =>
        items.filter((item) => item.messageId === undefined),
      ),
      /** Messages of the room on screen that wait for their files, each with its files. */
      selectActiveWaiting: createSelector(
        selectActiveItems,
        selectWaiting,
        chatSelectors.selectActiveRoom,
        (items, waiting, room) =>
          Object.values(waiting)
            .filter((message) => message.room === room)
            .map((message) => ({ message, items: items.filter((item) => item.messageId === message.id) })),
      ),
      /**
       * Waiting messages that can go: every file stored (their attachments filled in), or no file
       * left but a caption (the files were removed: the words still go). The rest wait.
       */
      selectReleasable: createSelector(selectAllItems, selectWaiting, (items, waiting) =>
        Object.values(waiting).flatMap((message): ChatMessage[] => {
          const files = items.filter((item) => item.messageId === message.id);
          if (files.some((item) => item.status !== 'stored')) return [];
          if (files.length === 0 && message.text.trim() === '') return [];
          return [{ ...message, ...(files.length > 0 && { attachments: files.map(attachmentOf) }) }];
        }),
      ),
    };
  },
});

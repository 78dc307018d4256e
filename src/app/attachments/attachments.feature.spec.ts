import type { ChatMessage } from '../messages/chat-message';
import { AttachmentsOutboxActions, AttachmentTrayActions, UploadsApiActions } from './attachments.actions';
import { attachmentsFeature, initialAttachmentsState } from './attachments.feature';
import type { UploadItem } from './upload-item';

const { reducer } = attachmentsFeature;
const item = (key: string, extra: Partial<UploadItem> = {}): UploadItem => ({
  key,
  room: 'general',
  name: `${key}.png`,
  size: 100,
  type: 'image/png',
  status: 'preparing',
  loaded: 0,
  ...extra,
});
const message = (id: string, text = 'caption'): ChatMessage => ({
  id,
  room: 'general',
  text,
  sender: { id: 'u-ann', name: 'Ann' },
  sentAt: '2026-01-01T10:00:00Z',
  status: 'pending',
});
const releasable = (state: ReturnType<typeof reducer>) =>
  attachmentsFeature.selectReleasable.projector(
    Object.values(state.items.entities).filter((i): i is UploadItem => !!i),
    state.waiting,
  );

describe('attachments reducer and release', () => {
  it('holds a sent message until every file is stored, then releases it once with its attachments', () => {
    let state = reducer(
      initialAttachmentsState,
      AttachmentTrayActions.filesAttached({ items: [item('a'), item('b')] }),
    );
    state = reducer(state, AttachmentTrayActions.messageWithFilesSent({ message: message('m1') }));
    expect(state.items.entities['a']?.messageId).toBe('m1');
    state = reducer(state, UploadsApiActions.prepared({ key: 'a', width: 40, height: 30, thumbnailId: 't-a' }));
    state = reducer(state, UploadsApiActions.started({ key: 'a', uploadId: 'up-a' }));
    state = reducer(state, UploadsApiActions.progressed({ key: 'a', loaded: 60 }));
    expect(state.items.entities['a']).toMatchObject({ status: 'uploading', loaded: 60 });
    state = reducer(state, UploadsApiActions.stored({ key: 'a' }));
    expect(releasable(state)).toEqual([]);
    state = reducer(state, UploadsApiActions.started({ key: 'b', uploadId: 'up-b' }));
    state = reducer(state, UploadsApiActions.stored({ key: 'b' }));
    const [ready] = releasable(state);
    expect(ready.attachments).toEqual([
      { id: 'up-a', name: 'a.png', size: 100, type: 'image/png', width: 40, height: 30, thumbnail: 't-a' },
      { id: 'up-b', name: 'b.png', size: 100, type: 'image/png' },
    ]);
    state = reducer(state, AttachmentsOutboxActions.messageReleased({ message: ready }));
    expect(releasable(state)).toEqual([]);
    expect(state.waiting).toEqual({});
    expect(state.items.ids).toEqual([]);
  });

  it('a failed file keeps the message waiting; Retry starts it over; files attached later belong to the next message', () => {
    let state = reducer(initialAttachmentsState, AttachmentTrayActions.filesAttached({ items: [item('a')] }));
    state = reducer(state, AttachmentTrayActions.messageWithFilesSent({ message: message('m1') }));
    state = reducer(state, UploadsApiActions.failed({ key: 'a', error: 'The connection was lost', retryable: true }));
    expect(releasable(state)).toEqual([]);
    state = reducer(state, AttachmentTrayActions.filesAttached({ items: [item('c')] }));
    expect(state.items.entities['c']?.messageId).toBeUndefined();
    state = reducer(state, AttachmentTrayActions.retryClicked({ key: 'a' }));
    expect(state.items.entities['a']).toMatchObject({ status: 'preparing', error: undefined, loaded: 0 });
    state = reducer(state, UploadsApiActions.failed({ key: 'a', error: 'x', retryable: true }));
    state = reducer(state, UploadsApiActions.retryAfterReconnect({ keys: ['a'] }));
    expect(state.items.entities['a']?.status).toBe('preparing');
  });

  it('removing every file sends the caption alone, and drops a message that had no words', () => {
    let state = reducer(initialAttachmentsState, AttachmentTrayActions.filesAttached({ items: [item('a')] }));
    state = reducer(state, AttachmentTrayActions.messageWithFilesSent({ message: message('m1', 'still say this') }));
    state = reducer(state, AttachmentTrayActions.removeClicked({ key: 'a' }));
    expect(releasable(state).map((m) => [m.text, m.attachments])).toEqual([['still say this', undefined]]);

    let silent = reducer(initialAttachmentsState, AttachmentTrayActions.filesAttached({ items: [item('b')] }));
    silent = reducer(silent, AttachmentTrayActions.messageWithFilesSent({ message: message('m2', '') }));
    silent = reducer(silent, AttachmentTrayActions.cancelClicked({ key: 'b' }));
    expect(silent.waiting).toEqual({});
    expect(releasable(silent)).toEqual([]);
  });

  it('a file chosen again starts over in its place, or says why it cannot', () => {
    let state = reducer(
      initialAttachmentsState,
      AttachmentsOutboxActions.restored({
        items: [item('a', { status: 'failed', error: 'gone', retryable: false, uploadId: 'old', messageId: 'm1' })],
        waiting: [message('m1')],
      }),
    );
    state = reducer(
      state,
      AttachmentTrayActions.fileChosenAgain({ key: 'a', name: 'a2.png', size: 7, mimeType: 'image/png' }),
    );
    expect(state.items.entities['a']).toEqual({
      key: 'a',
      room: 'general',
      name: 'a2.png',
      size: 7,
      type: 'image/png',
      status: 'preparing',
      loaded: 0,
      messageId: 'm1',
    });
    state = reducer(
      state,
      AttachmentTrayActions.fileChosenAgain({ key: 'a', name: 'x.html', size: 7, mimeType: 'text/html', error: 'no' }),
    );
    expect(state.items.entities['a']).toMatchObject({ status: 'failed', error: 'no', retryable: false });
  });
});

import { TestBed } from '@angular/core/testing';

import { LOCAL_STORAGE } from '../core/local-storage';
import type { ChatMessage } from '../messages/chat-message';
import { AttachmentsStorage, NOT_STORED_BEFORE_RELOAD } from './attachments-storage';
import { fileSize } from './file-size';
import { refusal } from './upload-item';

function storageWith(data = new Map<string, string>()): AttachmentsStorage {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      {
        provide: LOCAL_STORAGE,
        useValue: {
          getItem: (key: string) => data.get(key) ?? null,
          setItem: (key: string, value: string) => void data.set(key, value),
          removeItem: (key: string) => void data.delete(key),
        } as Storage,
      },
    ],
  });
  return TestBed.inject(AttachmentsStorage);
}

const waiting: ChatMessage = {
  id: 'm1',
  room: 'general',
  text: 'the caption',
  sender: { id: 'u-ann', name: 'Ann' },
  sentAt: '2026-01-01T10:00:00Z',
  status: 'pending',
};

describe('AttachmentsStorage', () => {
  it('brings back the caption and stored files; files still on their way come back failed, to attach again', () => {
    const data = new Map<string, string>();
    const base = { room: 'general', type: 'text/plain', size: 10, messageId: 'm1' };
    storageWith(data).save('u-ann', {
      items: [
        { ...base, key: 'a', name: 'a.txt', status: 'stored', loaded: 10, uploadId: 'up-a' },
        { ...base, key: 'b', name: 'b.txt', status: 'uploading', loaded: 4, uploadId: 'up-b' },
      ],
      waiting: [waiting],
    });
    const restored = storageWith(data).load('u-ann');
    expect(restored.waiting).toEqual([waiting]);
    expect(restored.items).toEqual([
      { ...base, key: 'a', name: 'a.txt', status: 'stored', loaded: 10, uploadId: 'up-a' },
      {
        ...base,
        key: 'b',
        name: 'b.txt',
        status: 'failed',
        loaded: 0,
        uploadId: 'up-b',
        error: NOT_STORED_BEFORE_RELOAD,
        retryable: false,
      },
    ]);
    expect(storageWith(data).load('u-ben')).toEqual({ items: [], waiting: [] });
  });

  it('ignores what it cannot read, and forgets everything once nothing waits', () => {
    const data = new Map([['hubbub.uploads.u-ann', '{"items":[{"key":1}],"waiting":"no"}']]);
    expect(storageWith(data).load('u-ann')).toEqual({ items: [], waiting: [] });
    storageWith(data).save('u-ann', { items: [], waiting: [] });
    expect(data.size).toBe(0);
  });
});

describe('checks before upload', () => {
  it('refuses with the server’s words what the server would refuse', () => {
    expect(refusal({ name: 'big.zip', size: 25 * 1024 * 1024 + 1, type: 'application/zip' })).toBe(
      'A file can be at most 25 MB',
    );
    expect(refusal({ name: 'page.html', size: 10, type: 'text/html' })).toBe(
      'That type of file cannot be shared (allowed: images, video, audio, PDF, text, archives, office documents)',
    );
    expect(refusal({ name: 'logo.svg', size: 10, type: 'image/svg+xml' })).not.toBeNull();
    expect(refusal({ name: 'empty.txt', size: 0, type: 'text/plain' })).toBe('size must be at least 1 byte');
    expect(refusal({ name: 'cat.png', size: 10, type: 'image/png' })).toBeNull();
    expect(refusal({ name: 'clip.mp4', size: 10, type: 'video/mp4' })).toBeNull();
    expect(refusal({ name: 'note.m4a', size: 10, type: 'audio/mp4' })).toBeNull();
  });

  it('says sizes the way file managers do', () => {
    expect([0, 1023, 1536, 10 * 1024, 3 * 1024 * 1024, 25 * 1024 * 1024].map(fileSize)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KB',
      '10 KB',
      '3 MB',
      '25 MB',
    ]);
  });
});

import { TestBed } from '@angular/core/testing';

import { LOCAL_STORAGE } from '../core/local-storage';
import type { ChatMessage } from '../messages/chat-message';
import { OutboxStorage } from './outbox-storage';

const ann = { id: 'u-ann', name: 'Ann' };
const pending = (id: string): ChatMessage => ({
  id,
  room: 'general',
  text: `text ${id}`,
  sender: ann,
  sentAt: '2026-01-01T10:00:00Z',
  status: 'pending',
});

/** Two tabs: two OutboxStorage instances over one shared localStorage. */
function tabs(): [OutboxStorage, OutboxStorage] {
  const data = new Map<string, string>();
  const storage = {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
  } as Storage;
  const make = () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [{ provide: LOCAL_STORAGE, useValue: storage }] });
    return TestBed.inject(OutboxStorage);
  };
  return [make(), make()];
}

describe('OutboxStorage', () => {
  it("keeps each tab's unsent messages when another tab saves or empties its own", () => {
    const [a, b] = tabs();
    b.save(ann.id, [pending('from-b')]);
    a.save(ann.id, [pending('from-a')]);
    a.save(ann.id, []); // tab A's message was sent
    expect(a.load(ann.id).map((m) => m.id)).toEqual(['from-b']);
    b.save(ann.id, []);
    expect(b.load(ann.id)).toEqual([]);
  });

  it('brings messages back as pending after a reload, replies with their quote', () => {
    const [a, b] = tabs();
    const reply = { ...pending('m2'), replyTo: { id: 'q', sender: ann, excerpt: 'the question' } };
    a.save(ann.id, [{ ...pending('m1'), status: 'failed' }, reply]);
    expect(b.load(ann.id)).toEqual([{ ...pending('m1'), status: 'pending' }, reply]);
  });
});

import { Injectable, InjectionToken, inject } from '@angular/core';
import { isMessage } from '../core/wire-types';
import type { ChatMessage } from './chat-message';

/** `localStorage`, or null where there is none or it is blocked (private modes, sandboxed frames). */
export const LOCAL_STORAGE = new InjectionToken<Storage | null>('local storage', {
  providedIn: 'root',
  factory: () => {
    try {
      return globalThis.localStorage ?? null;
    } catch {
      return null;
    }
  },
});

const KEY_PREFIX = 'hubbub.outbox.';

/** Unsent messages kept across reloads, per signed-in user. */
@Injectable({ providedIn: 'root' })
export class OutboxStorage {
  private readonly storage = inject(LOCAL_STORAGE);

  load(userId: string): ChatMessage[] {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(KEY_PREFIX + userId) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter(isMessage).map((message) => ({ ...message, status: 'pending' }))
        : [];
    } catch {
      return [];
    }
  }

  save(userId: string, messages: readonly ChatMessage[]): void {
    try {
      if (messages.length === 0) this.storage?.removeItem(KEY_PREFIX + userId);
      else
        this.storage?.setItem(
          KEY_PREFIX + userId,
          JSON.stringify(messages.map(({ id, room, text, sender, sentAt }) => ({ id, room, text, sender, sentAt }))),
        );
    } catch {
      // Quota or privacy settings: the outbox still works for this page's lifetime.
    }
  }
}

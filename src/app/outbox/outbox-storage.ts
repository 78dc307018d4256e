import { inject, Injectable } from '@angular/core';

import { guard, type Message, MessageSchema } from '../../../contract';
import { LOCAL_STORAGE } from '../core/local-storage';
import type { ChatMessage } from '../messages/chat-message';

const isMessage = guard(MessageSchema);

const KEY_PREFIX = 'hubbub.outbox.';

/**
 * Unsent messages kept across reloads, per signed-in user. Several tabs share one key, so each tab
 * only adds and removes its own messages and leaves the others' alone.
 */
@Injectable({ providedIn: 'root' })
export class OutboxStorage {
  private readonly storage = inject(LOCAL_STORAGE);
  /** Ids this tab has loaded or saved: the ones it may remove once they are sent. */
  private readonly mine = new Set<string>();

  load(userId: string): ChatMessage[] {
    const messages = this.read(userId).map((message) => ({ ...message, status: 'pending' as const }));
    for (const message of messages) this.mine.add(message.id);
    return messages;
  }

  save(userId: string, messages: readonly ChatMessage[]): void {
    const others = this.read(userId).filter((message) => !this.mine.has(message.id));
    for (const message of messages) this.mine.add(message.id);
    const kept = [
      ...others,
      ...messages.map(({ id, room, text, sender, sentAt, replyTo, attachments, mentions, mentionsRoom }) => ({
        id,
        room,
        text,
        sender,
        sentAt,
        ...(replyTo && { replyTo }),
        ...(attachments && { attachments }),
        ...(mentions && { mentions }),
        ...(mentionsRoom && { mentionsRoom }),
      })),
    ];
    try {
      if (kept.length === 0) this.storage?.removeItem(KEY_PREFIX + userId);
      else this.storage?.setItem(KEY_PREFIX + userId, JSON.stringify(kept));
    } catch {
      // Quota or privacy settings: the outbox still works for this page's lifetime.
    }
  }

  private read(userId: string): Message[] {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(KEY_PREFIX + userId) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isMessage) : [];
    } catch {
      return [];
    }
  }
}

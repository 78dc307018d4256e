import { Injectable, signal } from '@angular/core';

import type { ChatMessage } from '../messages/chat-message';

/**
 * The message being answered, shared by the conversation's rows (Reply in a message's menu) and
 * its composer (which shows the quote and sends it). View state, not store state: it lives as long
 * as the conversation does.
 */
@Injectable()
export class ReplyingTo {
  readonly message = signal<ChatMessage | null>(null);
  /** Counts the replies started, so the composer takes the focus for each, even the same message twice. */
  readonly started = signal(0);

  start(message: ChatMessage): void {
    this.message.set(message);
    this.started.update((count) => count + 1);
  }

  clear(): void {
    this.message.set(null);
  }
}

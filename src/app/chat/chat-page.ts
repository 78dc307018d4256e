import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Store } from '@ngrx/store';
import { SIGN_OUT_URL } from '../auth/session-api';
import { sessionFeature } from '../auth/session.feature';
import { connectionFeature } from '../core/connection.feature';
import { ChatPageActions } from './chat.actions';
import { chatFeature } from './chat.feature';
import type { ChatMessage } from './chat-message';
import { Composer } from './composer';
import { ConnectionStatus } from './connection-status';
import { MessageList } from './message-list';
import { newMessageId } from './message-id';
import { typingFeature } from './typing.feature';

/** The signed-in screen: reads the store, and turns what the user does into Chat Page actions. */
@Component({
  selector: 'hb-chat-page',
  imports: [Composer, ConnectionStatus, MessageList],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatPage {
  private readonly store = inject(Store);

  protected readonly signOutUrl = SIGN_OUT_URL;
  protected readonly user = this.store.selectSignal(sessionFeature.selectUser);
  protected readonly connection = this.store.selectSignal(connectionFeature.selectState);
  protected readonly room = this.store.selectSignal(chatFeature.selectActiveRoom);
  protected readonly messages = this.store.selectSignal(chatFeature.selectActiveMessages);
  protected readonly history = this.store.selectSignal(chatFeature.selectActiveHistory);
  protected readonly composerError = this.store.selectSignal(chatFeature.selectActiveComposerError);
  protected readonly typists = this.store.selectSignal(typingFeature.selectActiveTypists);
  protected readonly typingLine = computed(() => typingLine(this.typists()));

  protected sendMessage(text: string): void {
    const user = this.user();
    if (!user) return;
    const message: ChatMessage = {
      id: newMessageId(),
      room: this.room(),
      text,
      sender: user,
      sentAt: new Date().toISOString(),
      status: 'pending',
    };
    this.store.dispatch(ChatPageActions.messageSent({ message }));
  }

  protected retrySend(message: ChatMessage): void {
    this.store.dispatch(ChatPageActions.retryClicked({ message }));
  }

  protected loadOlder(): void {
    this.store.dispatch(ChatPageActions.olderMessagesRequested({ room: this.room() }));
  }

  protected announceTyping(): void {
    this.store.dispatch(ChatPageActions.typed({ room: this.room() }));
  }
}

export function typingLine(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { Store } from '@ngrx/store';

import { sessionFeature } from '../auth/session.feature';
import { SIGN_OUT_URL } from '../auth/session-api';
import { connectionFeature } from '../core/connection.feature';
import { selectActiveHistory } from '../history/history.selectors';
import { newMessageId } from '../outbox/message-id';
import { selectActiveComposerError } from '../outbox/outbox.selectors';
import { PeopleListActions } from '../people/people.actions';
import { UserList } from '../people/user-list';
import { usersFeature } from '../people/users.feature';
import { RoomSidebar } from '../rooms/room-sidebar';
import { RoomsSidebarActions } from '../rooms/rooms.actions';
import { roomsFeature } from '../rooms/rooms.feature';
import { typingFeature } from '../typing/typing.feature';
import { chatFeature } from './chat.feature';
import type { ChatMessage } from './chat-message';
import { ChatPageActions } from './chat-page.actions';
import { Composer } from './composer';
import { ConnectionStatus } from './connection-status';
import { MessageList } from './message-list';

/** The signed-in screen: reads the store, and turns what the user does into Chat Page actions. */
@Component({
  selector: 'hb-chat-page',
  imports: [Composer, ConnectionStatus, MessageList, RoomSidebar, UserList],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatPage {
  private readonly store = inject(Store);
  private readonly composer = viewChild.required(Composer);

  protected readonly signOutUrl = SIGN_OUT_URL;
  protected readonly user = this.store.selectSignal(sessionFeature.selectUser);
  protected readonly connection = this.store.selectSignal(connectionFeature.selectState);
  protected readonly room = this.store.selectSignal(chatFeature.selectActiveRoom);
  protected readonly messages = this.store.selectSignal(chatFeature.selectActiveMessages);
  protected readonly history = this.store.selectSignal(selectActiveHistory);
  protected readonly composerError = this.store.selectSignal(selectActiveComposerError);
  protected readonly typists = this.store.selectSignal(typingFeature.selectActiveTypists);
  protected readonly typingLine = computed(() => typingLine(this.typists()));
  protected readonly rooms = this.store.selectSignal(roomsFeature.selectJoinedRooms);
  protected readonly directMessages = this.store.selectSignal(roomsFeature.selectDirectMessages);
  protected readonly otherRooms = this.store.selectSignal(roomsFeature.selectOtherRooms);
  protected readonly roomError = this.store.selectSignal(roomsFeature.selectError);
  protected readonly roomEntities = this.store.selectSignal(roomsFeature.selectRoomEntities);
  protected readonly unread = this.store.selectSignal(chatFeature.selectUnreadByRoom);
  protected readonly totalUnread = this.store.selectSignal(chatFeature.selectTotalUnread);
  protected readonly readMarker = this.store.selectSignal(chatFeature.selectReadMarker);
  protected readonly users = this.store.selectSignal(usersFeature.selectOtherUsers);
  protected readonly activeRoom = computed(() => this.roomEntities()[this.room()]);
  protected readonly roomTitle = computed(() => {
    const room = this.activeRoom();
    return room?.kind === 'dm' ? room.title : `# ${room?.title ?? this.room()}`;
  });
  protected readonly canLeave = computed(() => this.activeRoom()?.kind === 'room' && this.room() !== 'general');
  /** On narrow screens the sidebar is a panel the user opens. */
  protected readonly sidebarOpen = signal(false);

  protected openRoom(room: string): void {
    this.store.dispatch(ChatPageActions.roomSelected({ room }));
    this.sidebarOpen.set(false);
    // Keyboard users land where they will type next.
    this.composer().focus();
  }

  protected joinRoom(room: string): void {
    this.store.dispatch(RoomsSidebarActions.joinClicked({ room }));
    this.sidebarOpen.set(false);
  }

  protected createRoom(name: string): void {
    this.store.dispatch(RoomsSidebarActions.createRoomSubmitted({ name }));
  }

  protected leaveRoom(): void {
    this.store.dispatch(RoomsSidebarActions.leaveClicked({ room: this.room() }));
  }

  protected startDirectMessage(userId: string): void {
    this.store.dispatch(PeopleListActions.directMessageClicked({ userId }));
    this.sidebarOpen.set(false);
  }

  protected toggleSidebar(): void {
    this.sidebarOpen.update((open) => !open);
  }

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

/** Each name is bidi-isolated (U+2068 … U+2069), so an RTL or override character in one cannot reorder the sentence. */
export function typingLine(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${isolate(names[0])} is typing…`;
  if (names.length === 2) return `${isolate(names[0])} and ${isolate(names[1])} are typing…`;
  return 'Several people are typing…';
}

function isolate(name: string): string {
  return `\u2068${name}\u2069`;
}

import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { Store } from '@ngrx/store';

import { Attach } from '../attachments/attach';
import { AttachButton } from '../attachments/attach-button';
import { AttachmentTray } from '../attachments/attachment-tray';
import { AttachmentTrayActions } from '../attachments/attachments.actions';
import { attachmentsFeature } from '../attachments/attachments.feature';
import { DropZone } from '../attachments/drop-zone';
import { FileDrop } from '../attachments/file-drop';
import { sessionFeature } from '../auth/session.feature';
import { SIGN_OUT_URL } from '../auth/session-api';
import { connectionFeature } from '../core/connection.feature';
import { ComposerDraftActions } from '../drafts/drafts.actions';
import { draftsFeature } from '../drafts/drafts.feature';
import { selectActiveHistory } from '../history/history.selectors';
import { MentionListActions } from '../mentions/members.actions';
import { selectMentionNames, selectMentionOptions } from '../mentions/mention.selectors';
import { EditRevisions } from '../message-actions/edit-revisions';
import { MessageMenuActions } from '../message-actions/message-actions.actions';
import { messageEdit } from '../message-actions/message-edit';
import { chatSelectors } from '../messages/chat.selectors';
import type { ChatMessage } from '../messages/chat-message';
import { ChatPageActions } from '../messages/chat-page.actions';
import { newMessageId } from '../messages/message-id';
import { NotificationsToggle } from '../notifications/notifications-toggle';
import { selectActiveComposerError } from '../outbox/outbox.selectors';
import { outgoingMessage, replyExcerpt } from '../outbox/outgoing-message';
import { PeopleListActions } from '../people/people.actions';
import { UserList } from '../people/user-list';
import { usersFeature } from '../people/users.feature';
import { MessageListActions, RoomSidebarReadActions } from '../read-state/read-state.actions';
import { readStateFeature } from '../read-state/read-state.feature';
import { RoomsSidebarActions } from '../rooms/rooms.actions';
import { roomsFeature } from '../rooms/rooms.feature';
import { RoomSidebar } from '../shell/room-sidebar';
import { typingFeature } from '../typing/typing.feature';
import { type ComposedMessage, Composer, type ReplyTarget } from './composer';
import { ConnectionStatus } from './connection-status';
import { MessageList, type MessageReaction, type TypedEdit } from './message-list';

/** The signed-in screen: reads the store, and turns what the user does into Chat Page actions. */
@Component({
  selector: 'hb-chat-page',
  imports: [
    AttachButton,
    AttachmentTray,
    Composer,
    ConnectionStatus,
    DropZone,
    FileDrop,
    MessageList,
    NotificationsToggle,
    RoomSidebar,
    UserList,
  ],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatPage {
  private readonly store = inject(Store);
  private readonly attach = inject(Attach);
  protected readonly attachedFiles = this.store.selectSignal(attachmentsFeature.selectActiveDrafts);
  private readonly composer = viewChild.required(Composer);
  private readonly messageList = viewChild.required(MessageList);
  private readonly revisions = inject(EditRevisions);

  protected readonly signOutUrl = SIGN_OUT_URL;
  protected readonly user = this.store.selectSignal(sessionFeature.selectUser);
  protected readonly connection = this.store.selectSignal(connectionFeature.selectState);
  protected readonly room = this.store.selectSignal(chatSelectors.selectActiveRoom);
  protected readonly messages = this.store.selectSignal(chatSelectors.selectActiveMessages);
  protected readonly history = this.store.selectSignal(selectActiveHistory);
  protected readonly composerError = this.store.selectSignal(selectActiveComposerError);
  protected readonly typists = this.store.selectSignal(typingFeature.selectActiveTypists);
  protected readonly typingLine = computed(() => typingLine(this.typists()));
  protected readonly rooms = this.store.selectSignal(roomsFeature.selectJoinedRooms);
  protected readonly directMessages = this.store.selectSignal(roomsFeature.selectDirectMessages);
  protected readonly openingDirectMessage = this.store.selectSignal(roomsFeature.selectOpeningDirectMessage);
  protected readonly otherRooms = this.store.selectSignal(roomsFeature.selectOtherRooms);
  protected readonly roomError = this.store.selectSignal(roomsFeature.selectError);
  protected readonly roomEntities = this.store.selectSignal(roomsFeature.selectRoomEntities);
  protected readonly unread = this.store.selectSignal(readStateFeature.selectRoomCounts);
  protected readonly totalUnread = this.store.selectSignal(readStateFeature.selectTotalUnread);
  protected readonly mentionOptions = this.store.selectSignal(selectMentionOptions);
  protected readonly mentionNames = this.store.selectSignal(selectMentionNames);
  protected readonly draft = this.store.selectSignal(draftsFeature.selectActiveDraft);
  protected readonly readMarker = this.store.selectSignal(chatSelectors.selectReadMarker);
  protected readonly users = this.store.selectSignal(usersFeature.selectOtherUsers);
  protected readonly activeRoom = computed(() => this.roomEntities()[this.room()]);
  protected readonly roomTitle = computed(() => {
    const room = this.activeRoom();
    return room?.kind === 'dm' ? room.title : `# ${room?.title ?? this.room()}`;
  });
  protected readonly canLeave = computed(() => this.activeRoom()?.kind === 'room' && this.room() !== 'general');
  protected readonly changeError = this.store.selectSignal(chatSelectors.selectChangeError);
  protected readonly seek = this.store.selectSignal(chatSelectors.selectSeek);
  /**
   * Rooms have an owner (and general its moderators) who may delete anyone's message; the room
   * list does not say who, so the option is offered in every room and the server decides.
   */
  protected readonly mayModerate = computed(() => this.activeRoom()?.moderator === true);
  /** The message being answered, in the room it belongs to (switching rooms leaves it behind). */
  private readonly replyingTo = signal<ChatMessage | null>(null);
  protected readonly replyTarget = computed((): ReplyTarget | null => {
    const message = this.replyingTo();
    return message && message.room === this.room()
      ? { sender: message.sender.name, excerpt: replyExcerpt(message, this.mentionNames()) }
      : null;
  });
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

  protected sendMessage({ text: typed, mentions: picked }: ComposedMessage): void {
    const user = this.user();
    if (!user) return;
    const message = outgoingMessage({
      id: newMessageId(),
      room: this.room(),
      sender: user,
      typed,
      picked,
      options: this.mentionOptions(),
      replyingTo: this.replyTarget() ? this.replyingTo() : null,
      names: this.mentionNames(),
      now: new Date(),
    });
    this.replyingTo.set(null);
    this.store.dispatch(
      this.attachedFiles().length > 0
        ? AttachmentTrayActions.messageWithFilesSent({ message })
        : ChatPageActions.messageSent({ message }),
    );
  }

  protected attachFiles(files: File[]): void {
    this.attach.attach(this.room(), files);
  }

  protected muteRoom({ room, muted }: { room: string; muted: boolean }): void {
    this.store.dispatch(RoomSidebarReadActions.muteToggled({ room, muted }));
  }

  protected searchMembers(query: string): void {
    this.store.dispatch(MentionListActions.searched({ room: this.room(), query }));
  }

  protected markUnread(message: ChatMessage): void {
    this.store.dispatch(MessageListActions.markUnreadClicked({ room: message.room, messageId: message.id }));
  }

  protected readingPosition(atEnd: boolean): void {
    this.store.dispatch(MessageListActions.readingPositionChanged({ room: this.room(), atEnd }));
  }

  protected keepDraft(text: string): void {
    this.store.dispatch(ComposerDraftActions.draftChanged({ room: this.room(), text }));
  }

  protected replyTo(message: ChatMessage): void {
    this.replyingTo.set(message);
    this.composer().focus();
  }

  protected cancelReply(): void {
    this.replyingTo.set(null);
    this.composer().focus();
  }

  protected editLast(): void {
    this.messageList().editLastOwn();
  }

  protected editMessage({ message, text: typed }: TypedEdit): void {
    const edit = messageEdit({
      message,
      typed,
      options: this.mentionOptions(),
      names: this.mentionNames(),
      lastRevision: this.revisions.last(),
      now: new Date(),
    });
    this.revisions.record(edit.revision);
    this.store.dispatch(MessageMenuActions.editSaved(edit));
  }

  protected deleteMessage(message: ChatMessage): void {
    const user = this.user();
    if (user) this.store.dispatch(MessageMenuActions.deleteConfirmed({ message, by: user }));
  }

  protected reactToMessage({ message, emoji, add }: MessageReaction): void {
    const user = this.user();
    if (user) this.store.dispatch(MessageMenuActions.reactionToggled({ message, emoji, add, user }));
  }

  protected findMessage(id: string): void {
    this.store.dispatch(ChatPageActions.quotedMessageRequested({ room: this.room(), id }));
  }

  protected dismissChangeError(id: string): void {
    this.store.dispatch(MessageMenuActions.errorDismissed({ id }));
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

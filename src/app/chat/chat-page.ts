import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { Store } from '@ngrx/store';

import { allowsRoomMentions, REPLY_EXCERPT_LENGTH } from '../../../contract';
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
import { encodeMentions, readableText, saysRoom } from '../mentions/mention-text';
import { MessageMenuActions } from '../message-actions/message-actions.actions';
import { NotificationsToggle } from '../notifications/notifications-toggle';
import { newMessageId } from '../outbox/message-id';
import { selectActiveComposerError } from '../outbox/outbox.selectors';
import { PeopleListActions } from '../people/people.actions';
import { UserList } from '../people/user-list';
import { usersFeature } from '../people/users.feature';
import { MessageListActions, RoomSidebarReadActions } from '../read-state/read-state.actions';
import { readStateFeature } from '../read-state/read-state.feature';
import { RoomSidebar } from '../rooms/room-sidebar';
import { RoomsSidebarActions } from '../rooms/rooms.actions';
import { roomsFeature } from '../rooms/rooms.feature';
import { typingFeature } from '../typing/typing.feature';
import { chatFeature } from './chat.feature';
import type { ChatMessage } from './chat-message';
import { ChatPageActions } from './chat-page.actions';
import { type ComposedMessage, Composer, type ReplyTarget } from './composer';
import { ConnectionStatus } from './connection-status';
import { type MessageEdit, MessageList, type MessageReaction } from './message-list';

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
  /** The last edit revision used: edits count up even within one millisecond. */
  private revision = 0;

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
  protected readonly openingDirectMessage = this.store.selectSignal(roomsFeature.selectOpeningDirectMessage);
  protected readonly otherRooms = this.store.selectSignal(roomsFeature.selectOtherRooms);
  protected readonly roomError = this.store.selectSignal(roomsFeature.selectError);
  protected readonly roomEntities = this.store.selectSignal(roomsFeature.selectRoomEntities);
  protected readonly unread = this.store.selectSignal(readStateFeature.selectRoomCounts);
  protected readonly totalUnread = this.store.selectSignal(readStateFeature.selectTotalUnread);
  protected readonly mentionOptions = this.store.selectSignal(selectMentionOptions);
  protected readonly mentionNames = this.store.selectSignal(selectMentionNames);
  protected readonly draft = this.store.selectSignal(draftsFeature.selectActiveDraft);
  protected readonly readMarker = this.store.selectSignal(chatFeature.selectReadMarker);
  protected readonly users = this.store.selectSignal(usersFeature.selectOtherUsers);
  protected readonly activeRoom = computed(() => this.roomEntities()[this.room()]);
  protected readonly roomTitle = computed(() => {
    const room = this.activeRoom();
    return room?.kind === 'dm' ? room.title : `# ${room?.title ?? this.room()}`;
  });
  protected readonly canLeave = computed(() => this.activeRoom()?.kind === 'room' && this.room() !== 'general');
  protected readonly changeError = this.store.selectSignal(chatFeature.selectChangeError);
  protected readonly seek = this.store.selectSignal(chatFeature.selectSeek);
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
      ? { sender: message.sender.name, excerpt: this.readable(message).slice(0, REPLY_EXCERPT_LENGTH) }
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
    const room = this.room();
    const original = this.replyTarget() ? this.replyingTo() : null;
    // The people picked from the @ list by whom was picked; a name typed by hand by name, if only one person has it.
    const { text, mentions } = encodeMentions(
      typed,
      this.mentionOptions().filter((option) => !option.room),
      picked,
    );
    const mentionsRoom = allowsRoomMentions(room) && saysRoom(text);
    const message: ChatMessage = {
      id: newMessageId(),
      room,
      text,
      ...(mentions.length > 0 && { mentions }),
      ...(mentionsRoom && { mentionsRoom }),
      sender: user,
      sentAt: new Date().toISOString(),
      status: 'pending',
      // Shown at once; the server's copy brings its own quote.
      ...(original && {
        replyTo: {
          id: original.id,
          sender: original.sender,
          excerpt: this.readable(original).slice(0, REPLY_EXCERPT_LENGTH),
        },
      }),
    };
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

  private readable(message: ChatMessage): string {
    const names = this.mentionNames();
    return readableText(message.text, message.mentions, (id) => names[id]);
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

  /**
   * An edit is encoded as a new message is: every `@Name` of someone the room's `@` list offers
   * becomes their token, and `@room` counts where allowed, so an edit can mention people or stop
   * mentioning them. The people the message already mentions come first (the list may hold only
   * the members found so far, and of two people with one name the one it meant stays).
   */
  protected editMessage({ message, text: typed }: MessageEdit): void {
    const names = this.mentionNames();
    const mentioned = (message.mentions ?? []).map((id) => ({ id, name: names[id] ?? '' }));
    const people = [...mentioned, ...this.mentionOptions().filter((option) => !option.room)];
    const { text, mentions } = encodeMentions(typed, people);
    const mentionsRoom = allowsRoomMentions(message.room) && saysRoom(text);
    this.revision = Math.max(Date.now(), this.revision + 1);
    const editedAt = new Date().toISOString();
    this.store.dispatch(
      MessageMenuActions.editSaved({ message, text, mentions, mentionsRoom, revision: this.revision, editedAt }),
    );
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

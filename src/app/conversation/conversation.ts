import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  Injector,
  untracked,
  viewChild,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { DM_PREFIX, GENERAL_ROOM } from '../../../contract';
import { Attach } from '../attachments/attach';
import { DropZone } from '../attachments/drop-zone';
import { FileDrop } from '../attachments/file-drop';
import { sessionFeature } from '../auth/session.feature';
import { selectActiveHistory } from '../history/history.selectors';
import { selectMentionNames } from '../mentions/mention.selectors';
import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { MessageListActions } from '../read-state/read-state.actions';
import { RoomsSidebarActions } from '../rooms/rooms.actions';
import { roomsFeature } from '../rooms/rooms.feature';
import { selectActiveRoomEntry } from '../rooms/rooms.selectors';
import { typingFeature } from '../typing/typing.feature';
import { MessageComposer } from './message-composer';
import { MessageList } from './message-list';
import { ReplyingTo } from './replying-to';

/** The open room: its title, its messages, who is typing, and the composer (files dropped anywhere on it attach). */
@Component({
  selector: 'hb-conversation',
  imports: [DropZone, FileDrop, MessageComposer, MessageList],
  templateUrl: './conversation.html',
  styleUrl: './conversation.css',
  providers: [ReplyingTo],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Conversation {
  private readonly store = inject(Store);
  private readonly attach = inject(Attach);
  private readonly injector = inject(Injector);
  // Absent while the room is only offered to join.
  private readonly composer = viewChild(MessageComposer);
  private readonly messageList = viewChild(MessageList);

  private readonly user = this.store.selectSignal(sessionFeature.selectUser);
  protected readonly selfId = computed(() => this.user()?.id ?? null);
  protected readonly room = this.store.selectSignal(chatSelectors.selectActiveRoom);
  protected readonly messages = this.store.selectSignal(chatSelectors.selectActiveMessages);
  protected readonly history = this.store.selectSignal(selectActiveHistory);
  protected readonly readMarker = this.store.selectSignal(chatSelectors.selectReadMarker);
  protected readonly seek = this.store.selectSignal(chatSelectors.selectSeek);
  protected readonly mentionNames = this.store.selectSignal(selectMentionNames);
  private readonly typists = this.store.selectSignal(typingFeature.selectActiveTypists);
  protected readonly typingLine = computed(() => typingLine(this.typists()));
  private readonly activeRoom = this.store.selectSignal(selectActiveRoomEntry);
  protected readonly roomTitle = computed(() => {
    const room = this.activeRoom();
    return room?.kind === 'dm' ? room.title : `# ${room?.title ?? this.room()}`;
  });
  protected readonly canLeave = computed(() => this.activeRoom()?.kind === 'room' && this.room() !== 'general');
  private readonly roomsLoaded = this.store.selectSignal(roomsFeature.selectLoaded);
  protected readonly roomError = this.store.selectSignal(roomsFeature.selectError);
  /**
   * A room you are not in, opened by its address: offered to join. One the room list does not
   * have may be a room past its first page (which holds all of yours): joining finds out.
   */
  protected readonly joinable = computed(() => {
    const room = this.room();
    if (room === GENERAL_ROOM) return false;
    const entry = this.activeRoom();
    if (entry) return entry.kind === 'room' && !entry.joined;
    return this.roomsLoaded() && !room.startsWith(DM_PREFIX);
  });
  private readonly linked = this.store.selectSignal(chatSelectors.selectLinked);
  /** The message the address names, once loaded (for the list to show), or whether it is missing. */
  protected readonly linkedMessage = computed(() => {
    const linked = this.linked();
    return linked?.room === this.room() && linked.status === 'found' ? linked : null;
  });
  protected readonly linkedMissing = computed(() => {
    const linked = this.linked();
    return linked?.room === this.room() && linked.status === 'missing';
  });

  constructor() {
    // A room opened (the first one too, however it was chosen): the person types next.
    effect(() => {
      this.room();
      untracked(() => afterNextRender(() => this.focusComposer(), { injector: this.injector }));
    });
  }

  /** Keyboard users land where they will type next. */
  focusComposer(): void {
    this.composer()?.focus();
  }

  protected joinRoom(): void {
    this.store.dispatch(RoomsSidebarActions.joinClicked({ room: this.room() }));
  }

  protected leaveRoom(): void {
    this.store.dispatch(RoomsSidebarActions.leaveClicked({ room: this.room() }));
  }

  protected attachFiles(files: File[]): void {
    this.attach.attach(this.room(), files);
  }

  protected editLast(): void {
    this.messageList()?.editLastOwn();
  }

  protected findMessage(id: string): void {
    this.store.dispatch(ChatPageActions.quotedMessageRequested({ room: this.room(), id }));
  }

  protected loadOlder(): void {
    this.store.dispatch(ChatPageActions.olderMessagesRequested({ room: this.room() }));
  }

  protected readingPosition(atEnd: boolean): void {
    this.store.dispatch(MessageListActions.readingPositionChanged({ room: this.room(), atEnd }));
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

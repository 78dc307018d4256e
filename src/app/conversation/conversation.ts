import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  type ComponentRef,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  signal,
  untracked,
  viewChild,
  ViewContainerRef,
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
import { PresenceDot } from '../people/presence-dot';
import { MessageListActions } from '../read-state/read-state.actions';
import type { MembersPanel } from '../room-admin/members-panel';
import { selectOpenDirectMessage } from '../rooms/direct-message-views';
import { RoomAccessActions, RoomsSidebarActions } from '../rooms/rooms.actions';
import { roomsFeature } from '../rooms/rooms.feature';
import { selectActiveRoomEntry } from '../rooms/rooms.selectors';
import { typingFeature } from '../typing/typing.feature';
import { MessageComposer } from './message-composer';
import { MessageList } from './message-list';
import { ReplyingTo } from './replying-to';

/**
 * The open room: its title and topic, its messages, who is typing, and the composer (files dropped
 * anywhere on it attach; an archived room has a note instead); its members panel and settings.
 */
@Component({
  selector: 'hb-conversation',
  imports: [DropZone, FileDrop, MessageComposer, MessageList, PresenceDot],
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
  protected readonly activeRoom = this.store.selectSignal(selectActiveRoomEntry);
  protected readonly topic = computed(() => this.activeRoom()?.topic ?? '');
  protected readonly archived = computed(() => this.activeRoom()?.archived === true);
  /** A room or DM the user is in has a members panel (in a DM: its people, and adding someone starts a group). */
  protected readonly hasMembers = computed(() => this.activeRoom()?.joined === true);
  /** Whether the members panel (with the room's settings, for its owner and admins) is open. */
  protected readonly panelOpen = signal(false);
  private readonly membersToggle = viewChild<ElementRef<HTMLElement>>('membersToggle');
  private readonly panelHost = viewChild('panelHost', { read: ViewContainerRef });
  private panelRef: ComponentRef<MembersPanel> | null = null;
  /** Counts closings, so a panel whose code arrives after it was closed is not shown. */
  private panelClosings = 0;
  protected readonly lost = this.store.selectSignal(roomsFeature.selectLost);
  /** The server answered as for a room that does not exist, or as for a conversation one has left: nothing about it is shown. */
  protected readonly noAccess = computed(() => {
    const refusal = this.history().refusal;
    if (this.activeRoom()) return false;
    return refusal === 'not-found' || (refusal === 'not-member' && this.room().startsWith(DM_PREFIX));
  });
  /** The open direct message with its people's current names, and the one other person's presence. */
  protected readonly directMessage = this.store.selectSignal(selectOpenDirectMessage);
  protected readonly roomTitle = computed(() => {
    const room = this.activeRoom();
    return room?.kind === 'dm' ? (this.directMessage()?.title ?? room.title) : `# ${room?.title ?? this.room()}`;
  });
  /** Rooms and group conversations can be left; a DM with one person cannot (it is theirs too). */
  protected readonly canLeave = computed(() => {
    const room = this.activeRoom();
    if (!room?.joined || this.room() === GENERAL_ROOM) return false;
    return room.kind === 'room' || (room.members?.length ?? 0) > 2;
  });
  /** Leaving a private room or a group conversation asks first: only someone still in it can add you back. */
  protected readonly confirmingLeave = signal(false);
  protected readonly leaveQuestion = computed(() =>
    this.activeRoom()?.kind === 'dm'
      ? 'Leave this conversation? Only someone in it can add you back.'
      : 'Leave this private room? Only its members can add you back.',
  );
  private readonly confirmLeaveButton = viewChild<ElementRef<HTMLButtonElement>>('confirmLeave');
  private readonly roomsLoaded = this.store.selectSignal(roomsFeature.selectLoaded);
  protected readonly roomError = this.store.selectSignal(roomsFeature.selectError);
  /**
   * A room you are not in, opened by its address: offered to join. One the room list does not
   * have may be a room past its first page (which holds all of yours): offered once its history
   * answers "not a member" (a private room answers as a missing one: {@link noAccess}).
   */
  protected readonly joinable = computed(() => {
    const room = this.room();
    if (room === GENERAL_ROOM) return false;
    const entry = this.activeRoom();
    if (entry) return entry.kind === 'room' && !entry.joined;
    return this.roomsLoaded() && !room.startsWith(DM_PREFIX) && this.history().refusal === 'not-member';
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
      untracked(() => {
        this.panelOpen.set(false);
        this.confirmingLeave.set(false);
        afterNextRender(() => this.focusComposer(), { injector: this.injector });
      });
    });
    // Out of the room (left, removed): its panel closes.
    effect(() => {
      if (!this.hasMembers()) this.panelOpen.set(false);
    });
    effect(() => {
      this.panelOpen();
      this.activeRoom();
      this.panelHost();
      untracked(() => void this.showPanel());
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
    const room = this.activeRoom();
    const final = room?.private === true || room?.kind === 'dm';
    if (final && !this.confirmingLeave()) {
      this.confirmingLeave.set(true);
      afterNextRender(() => this.confirmLeaveButton()?.nativeElement.focus(), { injector: this.injector });
      return;
    }
    this.confirmingLeave.set(false);
    this.store.dispatch(RoomsSidebarActions.leaveClicked({ room: this.room() }));
  }

  /**
   * The members panel and settings are a lazy chunk (a dynamic import: `@defer` would bring its
   * runtime into the first download), created beside the conversation and kept in step with it.
   */
  private async showPanel(): Promise<void> {
    const host = this.panelHost();
    if (!host || !this.panelOpen() || !this.activeRoom()) {
      this.panelClosings++;
      this.panelRef?.destroy();
      this.panelRef = null;
      return;
    }
    if (!this.panelRef) {
      const closings = this.panelClosings;
      const { MembersPanel } = await import('../room-admin/members-panel');
      if (closings !== this.panelClosings) return;
      if (!this.panelRef) {
        this.panelRef = host.createComponent(MembersPanel);
        this.panelRef.instance.closed.subscribe(() => this.closePanel());
      }
    }
    const room = this.activeRoom();
    if (room) this.panelRef.setInput('room', room);
  }

  /** Closed from inside: the focus goes back to the button that opened it. */
  protected closePanel(): void {
    this.panelOpen.set(false);
    this.membersToggle()?.nativeElement.focus();
  }

  protected dismissLost(): void {
    this.store.dispatch(RoomAccessActions.noticeDismissed());
  }

  protected openGeneral(): void {
    this.store.dispatch(ChatPageActions.roomSelected({ room: GENERAL_ROOM }));
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

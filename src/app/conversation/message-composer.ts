import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  output,
  untracked,
  viewChild,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { allowsRoomMentions } from '../../../contract';
import { Attach } from '../attachments/attach';
import { AttachButton } from '../attachments/attach-button';
import { AttachmentTray } from '../attachments/attachment-tray';
import { AttachmentTrayActions } from '../attachments/attachments.actions';
import { attachmentsFeature } from '../attachments/attachments.feature';
import { sessionFeature } from '../auth/session.feature';
import { ComposerDraftActions } from '../drafts/drafts.actions';
import { draftsFeature } from '../drafts/drafts.feature';
import { MentionListActions } from '../mentions/members.actions';
import { selectMentionNames, selectMentionOptions } from '../mentions/mention.selectors';
import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { newMessageId } from '../messages/message-id';
import { selectActiveComposerError } from '../outbox/outbox.selectors';
import { outgoingMessage, replyExcerpt } from '../outbox/outgoing-message';
import { roomsFeature } from '../rooms/rooms.feature';
import { type ComposedMessage, Composer, type ReplyTarget } from './composer';
import { ReplyingTo } from './replying-to';

/** The composer of the open room, with its attachments: turns what is typed into a message to send. */
@Component({
  selector: 'hb-message-composer',
  imports: [AttachButton, AttachmentTray, Composer],
  template: `
    <hb-composer
      [error]="composerError()"
      [replyingTo]="replyTarget()"
      [busy]="openingDirectMessage()"
      [hasAttachments]="attachedFiles().length > 0"
      [mentionOptions]="mentionOptions()"
      (mentionSearch)="searchMembers($event)"
      [draft]="draft()"
      (draftChange)="keepDraft($event)"
      [roomMentionNote]="roomMentionNote()"
      (send)="sendMessage($event)"
      (typing)="announceTyping()"
      (editLast)="editLast.emit()"
      (cancelReply)="cancelReply()"
    >
      <hb-attachment-tray composerTray />
      <hb-attach-button (files)="attachFiles($event)" />
    </hb-composer>
  `,
  styles: `
    :host {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageComposer {
  private readonly store = inject(Store);
  private readonly attach = inject(Attach);
  private readonly replyingTo = inject(ReplyingTo);
  private readonly composer = viewChild.required(Composer);

  /** Up in an empty box: the user's last message is to be edited (the list does). */
  readonly editLast = output<void>();

  private readonly user = this.store.selectSignal(sessionFeature.selectUser);
  private readonly room = this.store.selectSignal(chatSelectors.selectActiveRoom);
  private readonly mentionNames = this.store.selectSignal(selectMentionNames);
  protected readonly composerError = this.store.selectSignal(selectActiveComposerError);
  protected readonly openingDirectMessage = this.store.selectSignal(roomsFeature.selectOpeningDirectMessage);
  protected readonly attachedFiles = this.store.selectSignal(attachmentsFeature.selectActiveDrafts);
  protected readonly mentionOptions = this.store.selectSignal(selectMentionOptions);
  protected readonly draft = this.store.selectSignal(draftsFeature.selectActiveDraft);
  /** `@room` in `general` is sent as text (docs/behaviour.md, Mentions): the composer says so when it is typed. */
  protected readonly roomMentionNote = computed(() =>
    allowsRoomMentions(this.room())
      ? null
      : `@room notifies nobody in #${this.room()}: everyone is here, so it would alert the whole team. It is sent as plain text; mention people by name instead.`,
  );
  /** The message being answered, in the room it belongs to (switching rooms leaves it behind). */
  protected readonly replyTarget = computed((): ReplyTarget | null => {
    const message = this.replyingTo.message();
    return message && message.room === this.room()
      ? { sender: message.sender.name, excerpt: replyExcerpt(message, this.mentionNames()) }
      : null;
  });

  constructor() {
    // A reply started from a message's menu: the user types the answer next.
    effect(() => {
      if (this.replyingTo.started() > 0) untracked(() => this.focus());
    });
  }

  focus(): void {
    this.composer().focus();
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
      replyingTo: this.replyTarget() ? this.replyingTo.message() : null,
      names: this.mentionNames(),
      now: new Date(),
    });
    this.replyingTo.clear();
    this.store.dispatch(
      this.attachedFiles().length > 0
        ? AttachmentTrayActions.messageWithFilesSent({ message })
        : ChatPageActions.messageSent({ message }),
    );
  }

  protected attachFiles(files: File[]): void {
    this.attach.attach(this.room(), files);
  }

  protected searchMembers(query: string): void {
    this.store.dispatch(MentionListActions.searched({ room: this.room(), query }));
  }

  protected keepDraft(text: string): void {
    this.store.dispatch(ComposerDraftActions.draftChanged({ room: this.room(), text }));
  }

  protected announceTyping(): void {
    this.store.dispatch(ChatPageActions.typed({ room: this.room() }));
  }

  protected cancelReply(): void {
    this.replyingTo.clear();
    this.composer().focus();
  }
}

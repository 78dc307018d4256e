import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  output,
  PendingTasks,
  untracked,
  viewChild,
  ViewContainerRef,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { allowsRoomMentions } from '../../../contract';
import { Attach } from '../attachments/attach';
import { AttachButton } from '../attachments/attach-button';
import { AttachmentFiles } from '../attachments/attachment-files';
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
  imports: [AttachButton, Composer],
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
      <!-- The tray, loaded once files are chosen or messages wait for theirs (showTray). -->
      <ng-container ngProjectAs="[composerTray]"><ng-container #traySlot /></ng-container>
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
  private readonly pendingTasks = inject(PendingTasks);
  private readonly files = inject(AttachmentFiles);
  private readonly composer = viewChild.required(Composer);

  /** Up in an empty box: the user's last message is to be edited (the list does). */
  readonly editLast = output<void>();

  private readonly user = this.store.selectSignal(sessionFeature.selectUser);
  private readonly room = this.store.selectSignal(chatSelectors.selectActiveRoom);
  private readonly mentionNames = this.store.selectSignal(selectMentionNames);
  protected readonly composerError = this.store.selectSignal(selectActiveComposerError);
  protected readonly openingDirectMessage = this.store.selectSignal(roomsFeature.selectOpeningDirectMessage);
  protected readonly attachedFiles = this.store.selectSignal(attachmentsFeature.selectActiveDrafts);
  private readonly waitingForFiles = this.store.selectSignal(attachmentsFeature.selectActiveWaiting);
  private readonly traySlot = viewChild.required('traySlot', { read: ViewContainerRef });
  private trayShown = false;
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
    // Most sessions attach nothing: the tray's code loads the first time there is something to show.
    effect(() => {
      if (this.trayShown || (this.attachedFiles().length === 0 && this.waitingForFiles().length === 0)) return;
      this.trayShown = true;
      const done = this.pendingTasks.add();
      void untracked(() => this.showTray()).finally(done);
    });
    // A reply started from a message's menu: the user types the answer next.
    effect(() => {
      if (this.replyingTo.started() > 0) untracked(() => this.focus());
    });
  }

  private async showTray(): Promise<void> {
    const { AttachmentTray } = await import('../attachments/attachment-tray');
    const tray = this.traySlot().createComponent(AttachmentTray);
    const bind = () => {
      tray.setInput('drafts', this.attachedFiles());
      tray.setInput('waiting', this.waitingForFiles());
    };
    bind();
    tray.setInput('hasFile', (key: string) => this.files.has(key));
    effect(bind, { injector: tray.injector });
    tray.instance.cancelUpload.subscribe(({ key }) =>
      this.store.dispatch(AttachmentTrayActions.cancelClicked({ key })),
    );
    tray.instance.retryUpload.subscribe(({ key }) => this.store.dispatch(AttachmentTrayActions.retryClicked({ key })));
    tray.instance.removeUpload.subscribe(({ key }) =>
      this.store.dispatch(AttachmentTrayActions.removeClicked({ key })),
    );
    tray.instance.chooseAgain.subscribe(({ item, file }) => this.attach.chooseAgain(item.key, file));
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

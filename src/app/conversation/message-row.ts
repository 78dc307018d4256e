import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  PendingTasks,
  signal,
  untracked,
  viewChild,
  ViewContainerRef,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { MessageLinks } from '../addresses/message-links';
import { sessionFeature } from '../auth/session.feature';
import { MessageText } from '../formatting/message-text';
import { MentionListActions } from '../mentions/members.actions';
import { selectMentionNames, selectMentionOptions } from '../mentions/mention.selectors';
import { readableText } from '../mentions/mention-text';
import { EditRevisions } from '../message-actions/edit-revisions';
import { MessageMenuActions } from '../message-actions/message-actions.actions';
import { messageEdit } from '../message-actions/message-edit';
import { MessageMenu } from '../message-actions/message-menu';
import { ReactionBar } from '../message-actions/reaction-bar';
import { type QuoteView, ReplyQuote } from '../message-actions/reply-quote';
import { chatSelectors } from '../messages/chat.selectors';
import type { ChatMessage } from '../messages/chat-message';
import { ChatPageActions } from '../messages/chat-page.actions';
import { Avatar } from '../people/avatar';
import { selectBlockedIds } from '../people/blocks.feature';
import { PROFILE_HOST } from '../people/profile-opener';
import { usersFeature } from '../people/users.feature';
import { ReactionPicker } from '../reaction-picker/reaction-picker';
import { MessageListActions } from '../read-state/read-state.actions';
import { selectMayModerate } from '../rooms/rooms.selectors';
import { MessageRows } from './message-rows';
import { MessageTime } from './message-time';
import { ReplyingTo } from './replying-to';

/** How long "Link copied" stays beside the message. */
const LINK_NOTICE_MS = 4000;

/**
 * One message with its actions: a menu, an inline editor, a delete confirmation, reactions, and
 * Retry for one not sent. It reads what it needs from the store and dispatches what the user did
 * itself; the list only places it (and gives it the quote it answers, which needs the other messages).
 */
@Component({
  selector: 'hb-message-row',
  imports: [Avatar, MessageMenu, MessageText, MessageTime, ReactionBar, ReactionPicker, ReplyQuote],
  templateUrl: './message-row.html',
  styleUrl: './message-row.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageRow {
  private readonly store = inject(Store);
  private readonly rows = inject(MessageRows);
  private readonly replyingTo = inject(ReplyingTo);
  private readonly revisions = inject(EditRevisions);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly links = inject(MessageLinks);
  private readonly pendingTasks = inject(PendingTasks);
  protected readonly profiles = inject(PROFILE_HOST, { optional: true });
  private readonly editorSlot = viewChild('editorSlot', { read: ViewContainerRef });
  private readonly attachmentsSlot = viewChild('attachmentsSlot', { read: ViewContainerRef });
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  readonly message = input.required<ChatMessage>();
  /** What a reply shows of the message it answers. */
  readonly quote = input<QuoteView | null>(null);

  private readonly user = this.store.selectSignal(sessionFeature.selectUser);
  private readonly mentionNames = this.store.selectSignal(selectMentionNames);
  protected readonly mentionOptions = this.store.selectSignal(selectMentionOptions);
  private readonly changeError = this.store.selectSignal(chatSelectors.selectChangeError);
  /** Whether the user may try deleting other people's messages here (the server decides: the room's owner may). */
  private readonly mayModerate = this.store.selectSignal(selectMayModerate);
  private readonly blockedIds = this.store.selectSignal(selectBlockedIds);
  /** The user chose to see this message of someone they blocked. */
  private readonly revealed = signal(false);
  /** A message of someone the user blocked shows as "Blocked message" until they ask to see it. */
  protected readonly hidden = computed(
    () => !this.revealed() && !this.message().deleted && this.blockedIds().has(this.message().sender.id),
  );

  /** What "Copy link" did, shown beside the message for a few seconds: copied, or the link to copy by hand. */
  protected readonly linkNotice = signal<{ readonly copied: boolean; readonly url: string } | null>(null);

  protected readonly selfId = computed(() => this.user()?.id ?? null);
  protected readonly own = computed(() => this.message().sender.id === this.selfId());
  protected readonly mayDelete = computed(() => this.own() || this.mayModerate());
  protected readonly editing = computed(() => this.rows.editingId() === this.message().id);
  protected readonly confirming = computed(() => this.rows.confirmingId() === this.message().id);
  /** The server's refusal of a change to this message, if that is the one it refused last. */
  protected readonly error = computed(() => {
    const error = this.changeError();
    return error?.id === this.message().id ? error : null;
  });
  /** People's current names for the message text's mention chips. */
  protected readonly nameOf = computed(() => {
    const names = this.mentionNames();
    return (id: string): string | undefined => names[id];
  });
  /** The author's current name (a rename shows in old messages too), else the one the message was sent with. */
  protected readonly senderName = computed(() => {
    const { id, name } = this.message().sender;
    return this.mentionNames()[id] ?? name;
  });
  private readonly users = this.store.selectSignal(usersFeature.selectEntities);
  protected readonly senderAvatar = computed(() => this.users()?.[this.message().sender.id]?.avatar);
  /** Mentions as `@Name`, for the editor (as the composer shows them; saving writes tokens back). */
  protected readonly readable = computed(() => {
    const { text, mentions } = this.message();
    const names = this.mentionNames();
    return readableText(text, mentions, (id) => names[id]);
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.noticeTimer));
    effect(() => {
      const slot = this.editorSlot();
      if (!slot) return;
      const done = this.pendingTasks.add();
      void untracked(() => this.showEditor(slot)).finally(done);
    });
    effect(() => {
      const slot = this.attachmentsSlot();
      if (!slot) return;
      const done = this.pendingTasks.add();
      void untracked(() => this.showAttachments(slot)).finally(done);
    });
  }

  /** The files' code loads apart, with the first message that has any: most rooms' first screen has none. */
  private async showAttachments(slot: ViewContainerRef): Promise<void> {
    const { MessageAttachments } = await import('../attachments/message-attachments');
    // The files went (the message was deleted or hidden) while the code loaded.
    if (this.attachmentsSlot() !== slot) return;
    const files = slot.createComponent(MessageAttachments);
    effect(
      () => {
        const { room, attachments } = this.message();
        files.setInput('room', room);
        files.setInput('attachments', attachments ?? []);
      },
      { injector: files.injector },
    );
  }

  /** The editor's code loads apart, at the first edit: most sessions edit nothing. */
  private async showEditor(slot: ViewContainerRef): Promise<void> {
    const { MessageEditor } = await import('../message-actions/message-editor');
    // Editing ended (or began again in a new slot) while the code loaded.
    if (this.editorSlot() !== slot) return;
    const editor = slot.createComponent(MessageEditor);
    const bind = () => {
      editor.setInput('text', this.readable());
      editor.setInput('mentionOptions', this.mentionOptions());
    };
    bind();
    effect(bind, { injector: editor.injector });
    editor.instance.mentionSearch.subscribe((query) => this.searchMembers(query));
    editor.instance.save.subscribe((typed) => this.saveEdit(typed));
    editor.instance.discard.subscribe(() => this.stopEditing());
  }

  protected reveal(): void {
    this.revealed.set(true);
  }

  protected retry(): void {
    this.store.dispatch(ChatPageActions.retryClicked({ message: this.message() }));
  }

  protected react(emoji: string, add: boolean): void {
    const user = this.user();
    if (user) this.store.dispatch(MessageMenuActions.reactionToggled({ message: this.message(), emoji, add, user }));
  }

  protected reply(): void {
    this.replyingTo.start(this.message());
  }

  protected markUnread(): void {
    const { room, id } = this.message();
    this.store.dispatch(MessageListActions.markUnreadClicked({ room, messageId: id }));
  }

  protected async copyLink(): Promise<void> {
    const { room, id } = this.message();
    const copied = await this.links.copy(room, id);
    this.linkNotice.set({ copied, url: this.links.url(room, id) });
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => this.linkNotice.set(null), copied ? LINK_NOTICE_MS : 3 * LINK_NOTICE_MS);
  }

  protected jumpTo(id: string): void {
    this.rows.jumpTo(id);
  }

  protected searchMembers(query: string): void {
    this.store.dispatch(MentionListActions.searched({ room: this.message().room, query }));
  }

  protected startEditing(): void {
    this.rows.startEditing(this.message().id);
  }

  protected stopEditing(): void {
    this.rows.stopEditing(this.message().id);
  }

  protected saveEdit(typed: string): void {
    const edit = messageEdit({
      message: this.message(),
      typed,
      options: this.mentionOptions(),
      names: this.mentionNames(),
      lastRevision: this.revisions.last(),
      now: new Date(),
    });
    this.revisions.record(edit.revision);
    this.store.dispatch(MessageMenuActions.editSaved(edit));
    this.stopEditing();
  }

  protected askToDelete(): void {
    this.rows.editingId.set(null);
    this.rows.confirmingId.set(this.message().id);
    // The confirmation takes the focus: a pending focus on the message would take it back.
    this.rows.forgetFocus();
    afterNextRender(
      () => this.host.nativeElement.querySelector<HTMLElement>('[data-testid="cancel-delete"]')?.focus(),
      { injector: this.injector },
    );
  }

  protected confirmDelete(): void {
    const message = this.message();
    const user = this.user();
    this.rows.confirmingId.set(null);
    if (user) this.store.dispatch(MessageMenuActions.deleteConfirmed({ message, by: user }));
    this.rows.focusMessage(message.id);
  }

  protected cancelDelete(): void {
    this.rows.confirmingId.set(null);
    this.rows.focusMessage(this.message().id);
  }

  protected dismissError(): void {
    this.store.dispatch(MessageMenuActions.errorDismissed({ id: this.message().id }));
  }
}

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import { type Draft } from '../drafts/drafts.feature';
import { ShortcodeCombobox, ShortcodeListbox } from '../formatting/shortcode-combobox';
import type { MentionOption } from '../mentions/mention.selectors';
import { MentionCombobox, MentionListbox } from '../mentions/mention-combobox';
import { moveMentions, type PlacedMention, readsMention, saysRoom } from '../mentions/mention-text';

/** What the composer shows of the message being answered. */
export interface ReplyTarget {
  readonly sender: string;
  readonly excerpt: string;
}

/** What the composer sends: the text, and the people picked from the `@` list for it, where in it. */
export interface ComposedMessage {
  readonly text: string;
  readonly mentions: readonly PlacedMention[];
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line, Up in an empty box edits the
 * user's last message, Escape drops the reply; `@` completes names and `:` emoji shortcodes. Sending works offline too (the outbox queues).
 */
@Component({
  selector: 'hb-composer',
  imports: [MentionCombobox, MentionListbox, ShortcodeCombobox, ShortcodeListbox],
  templateUrl: './composer.html',
  styleUrl: './composer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  readonly placeholder = input('Write a message');
  readonly error = input<string | null>(null);
  readonly replyingTo = input<ReplyTarget | null>(null);
  /** Not ready to send (a direct message is still being opened): the box keeps its text and sends nothing. */
  readonly busy = input(false);
  /** Files are attached: the message may go without words. */
  readonly hasAttachments = input(false);
  readonly send = output<ComposedMessage>();
  readonly typing = output<void>();
  readonly editLast = output<void>();
  readonly cancelReply = output<void>();
  /** Who `@` offers to mention here. */
  readonly mentionOptions = input<readonly MentionOption[]>([]);
  /** The `@` word being typed changed (what follows the `@`): the container looks the people up. */
  readonly mentionSearch = output<string>();
  /** The open room's saved draft: the box shows it whenever the room changes. */
  readonly draft = input<Draft | null>(null);
  /** The text as typed, to keep as the room's draft. */
  readonly draftChange = output<string>();
  /** Why `@room` notifies nobody here, if it does not: shown as soon as the text says `@room`. */
  readonly roomMentionNote = input<string | null>(null);

  protected readonly text = signal('');
  protected readonly roomNote = computed(() => {
    const note = this.roomMentionNote();
    return note && saysRoom(this.text()) ? note : null;
  });
  /** The error and the `@room` note, as the box's description. */
  protected readonly describedBy = computed(
    () =>
      [this.error() ? 'composer-error' : null, this.roomNote() ? 'composer-room-note' : null]
        .filter(Boolean)
        .join(' ') || null,
  );
  private readonly input = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');
  private draftRoom: string | null = null;
  /** Typed while a direct message was opening: the text belongs to the room that opens next. */
  private typedWhileBusy = false;
  /**
   * The people picked from the `@` list for the text in the box, where their `@Name`s are (moved
   * with each edit, dropped when their text goes): sent with it, so the one picked is mentioned
   * even when two people share the name. Kept per room, as the drafts are, but only for this
   * page's life and not in localStorage with them: after a reload a draft's `@Name`s are read by
   * name again, and one that two people share stays text.
   */
  private picked: readonly PlacedMention[] = [];
  private readonly pickedByRoom = new Map<string, readonly PlacedMention[]>();

  constructor() {
    effect(() => {
      const draft = this.draft();
      untracked(() => this.showDraft(draft));
    });
  }

  private showDraft(draft: Draft | null): void {
    if (!draft || draft.room === this.draftRoom) return;
    const carried = this.typedWhileBusy && this.text() !== '';
    // What was typed while busy, picks and all, goes with the text to the room that opened.
    if (this.draftRoom !== null && !carried) this.pickedByRoom.set(this.draftRoom, this.picked);
    this.draftRoom = draft.room;
    this.typedWhileBusy = false;
    if (carried) {
      this.draftChange.emit(this.text());
    } else {
      this.text.set(draft.text);
      this.picked = (this.pickedByRoom.get(draft.room) ?? []).filter((mention) => readsMention(draft.text, mention));
    }
  }

  protected updateText(event: Event): void {
    const box = event.target as HTMLTextAreaElement;
    this.picked = moveMentions(this.picked, this.text(), box.value, box.selectionEnd);
    this.text.set(box.value);
    if (this.busy()) this.typedWhileBusy = true;
    else this.draftChange.emit(this.text());
    if (this.text().trim()) this.typing.emit();
  }

  /** Called after the `input` event of the insertion, so `at` is in the text as it is now. */
  protected keepPick({ option, at }: { option: MentionOption; at: number }): void {
    // `@room` is a word, said by the text itself.
    if (option.room) return;
    this.picked = [...this.picked.filter((mention) => mention.at !== at), { id: option.id, name: option.name, at }];
  }

  protected sendOnEnter(event: Event): void {
    if (!(event instanceof KeyboardEvent) || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.sendMessage();
  }

  protected editLastOnUp(event: Event): void {
    if (this.text() !== '' || (event instanceof KeyboardEvent && (event.shiftKey || event.altKey))) return;
    event.preventDefault();
    this.editLast.emit();
  }

  protected sendMessage(): void {
    if (this.busy()) return;
    const text = this.text().trim();
    if (!text && !this.hasAttachments()) return;
    const trimmed = this.text().length - this.text().trimStart().length;
    const mentions = this.picked
      .map((mention) => ({ ...mention, at: mention.at - trimmed }))
      .filter((mention) => readsMention(text, mention));
    this.send.emit({ text, mentions });
    this.text.set('');
    this.picked = [];
    this.input().nativeElement.focus();
  }

  focus(): void {
    this.input().nativeElement.focus();
  }
}

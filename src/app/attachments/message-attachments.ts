import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  viewChild,
} from '@angular/core';

import {
  apiPath,
  type Attachment,
  INLINE_ATTACHMENT_TYPES,
  PLAYABLE_ATTACHMENT_TYPES,
  Routes,
} from '../../../contract';
import { fileSize } from './file-size';

/** The box an inline image is shown in at most; its width and height are reserved before it loads. */
const MAX_WIDTH = 320;
const MAX_HEIGHT = 240;

interface ImageView {
  readonly attachment: Attachment;
  /** The thumbnail when there is one: what the message shows. */
  readonly src: string;
  readonly full: string;
  readonly width?: number;
  readonly height?: number;
}

/**
 * A message's files: images inline in a box of their measured proportions (no jump when they load),
 * opening a viewer dialog on click or Enter; video and audio in players with controls (never
 * autoplaying); other files as cards with name, size and a download link. Every URL is the attachment route, which answers members with a short-lived read URL.
 */
@Component({
  selector: 'hb-message-attachments',
  templateUrl: './message-attachments.html',
  styleUrl: './message-attachments.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageAttachments {
  readonly room = input.required<string>();
  readonly attachments = input.required<readonly Attachment[]>();

  private readonly dialog = viewChild<ElementRef<HTMLDialogElement>>('viewer');
  protected readonly viewing = signal<ImageView | null>(null);
  private opener: HTMLElement | null = null;
  private readonly injector = inject(Injector);
  protected readonly fileSize = fileSize;

  protected readonly images = computed(() =>
    this.attachments()
      .filter((a) => INLINE_ATTACHMENT_TYPES.some((type) => type === a.type))
      .map((attachment): ImageView => {
        const box = fitted(attachment.width, attachment.height);
        return {
          attachment,
          src: this.url(attachment.thumbnail ?? attachment.id),
          full: this.url(attachment.id),
          ...box,
        };
      }),
  );

  /** Video and audio, played in the message with the browser's controls (never on their own). */
  protected readonly media = computed(() =>
    this.attachments()
      .filter((a) => PLAYABLE_ATTACHMENT_TYPES.some((type) => type === a.type))
      .map((attachment) => ({
        attachment,
        src: this.url(attachment.id),
        kind: attachment.type.startsWith('video/') ? ('video' as const) : ('audio' as const),
      })),
  );

  protected readonly files = computed(() =>
    this.attachments()
      .filter((a) => ![...INLINE_ATTACHMENT_TYPES, ...PLAYABLE_ATTACHMENT_TYPES].some((type) => type === a.type))
      .map((attachment) => ({ attachment, href: this.url(attachment.id) })),
  );

  protected open(image: ImageView, event: Event): void {
    this.opener = event.currentTarget as HTMLElement;
    this.viewing.set(image);
    // The dialog is rendered by the next change detection: open it as a modal (focus moves into it) then.
    afterNextRender(
      () => {
        const dialog = this.dialog()?.nativeElement;
        if (dialog && !dialog.open) dialog.showModal();
      },
      { injector: this.injector },
    );
  }

  protected close(): void {
    this.dialog()?.nativeElement.close();
  }

  /** The dialog closed (Escape or the Close button): focus goes back where it was. */
  protected closed(): void {
    this.viewing.set(null);
    this.opener?.focus();
    this.opener = null;
  }

  private url(id: string): string {
    return apiPath(Routes.attachment, { room: this.room(), id });
  }
}

function fitted(width?: number, height?: number): { width?: number; height?: number } {
  if (!width || !height) return {};
  const scale = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

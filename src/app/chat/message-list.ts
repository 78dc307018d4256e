import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  input,
  output,
  viewChild,
} from '@angular/core';
import type { ChatMessage } from './chat-message';
import { MessageTime } from './message-time';

/** The room's messages, newest at the bottom, following new ones while the reader is at the bottom. */
@Component({
  selector: 'hb-message-list',
  imports: [MessageTime],
  templateUrl: './message-list.html',
  styleUrl: './message-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageList {
  readonly messages = input.required<readonly ChatMessage[]>();
  readonly selfId = input<string | null>(null);
  readonly hasMore = input(false);
  readonly loadingOlder = input(false);
  readonly retry = output<ChatMessage>();
  readonly loadOlder = output<void>();

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private atBottom = true;

  constructor() {
    afterRenderEffect(() => {
      this.messages();
      const element = this.scroller().nativeElement;
      if (this.atBottom) element.scrollTop = element.scrollHeight;
    });
  }

  protected trackScroll(): void {
    const element = this.scroller().nativeElement;
    this.atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
  }
}

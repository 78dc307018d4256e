import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

/** What a reply shows of the message it answers, resolved against the copy held when there is one. */
export interface QuoteView {
  readonly id: string;
  readonly sender: string | null;
  readonly excerpt: string;
  readonly deleted: boolean;
}

/** The quote above a reply: a button that goes to the original. */
@Component({
  selector: 'hb-reply-quote',
  template: `
    <button
      type="button"
      class="quote"
      data-testid="reply-quote"
      [class.deleted]="quote().deleted"
      [attr.aria-label]="label()"
      (click)="jump.emit(quote().id)"
    >
      <span class="arrow" aria-hidden="true">↩</span>
      @if (quote().deleted) {
        <span class="excerpt">Reply to a deleted message</span>
      } @else {
        <bdi class="sender">{{ quote().sender ?? 'Someone' }}</bdi>
        <bdi class="excerpt">{{ quote().excerpt }}</bdi>
      }
    </button>
  `,
  styles: `
    .quote {
      display: flex;
      gap: 0.35rem;
      align-items: baseline;
      max-width: 100%;
      margin: 0 0 0.15rem;
      padding: 0.1rem 0.5rem;
      font-size: 0.8rem;
      text-align: left;
      color: var(--muted);
      background: transparent;
      border: 0;
      border-left: 3px solid var(--border);
      border-radius: 0;
    }
    .sender {
      font-weight: 600;
      color: var(--text);
      white-space: nowrap;
    }
    .excerpt {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .deleted .excerpt {
      font-style: italic;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReplyQuote {
  readonly quote = input.required<QuoteView>();
  readonly jump = output<string>();

  protected readonly label = computed(() => {
    const quote = this.quote();
    return quote.deleted
      ? 'Reply to a deleted message'
      : `Reply to ${quote.sender ?? 'someone'}: ${quote.excerpt}. Go to the original message`;
  });
}

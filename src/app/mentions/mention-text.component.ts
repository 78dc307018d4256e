import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { mentionSegments } from './mention-text';

/**
 * A message's plain text with its mentions as chips: each mentioned person by their current
 * name, mentions of the viewer (and `@room`) highlighted. Text is interpolated, never HTML.
 * Names come in as `names` (the store's {@link selectMentionNames}), so it stays presentational.
 */
@Component({
  selector: 'hb-mention-text',
  // One line, no whitespace between the parts: the text is shown with `white-space: pre-wrap`.
  // prettier-ignore
  template: `@for (segment of segments(); track $index) {@switch (segment.kind) {@case ('text') {<ng-container>{{ segment.text }}</ng-container>}@case ('mention') {<bdi class="mention" data-testid="mention" [class.self]="segment.self">&#64;{{ segment.name }}</bdi>}@case ('room') {<span class="mention self" data-testid="mention">&#64;room</span>}}}`,
  styles: `
    :host {
      display: block;
    }
    .mention {
      padding: 0 0.2em;
      border-radius: 4px;
      font-weight: 600;
      color: var(--accent);
      background: color-mix(in srgb, var(--accent) 12%, transparent);
    }
    .mention.self {
      /* The same in light and dark mode: dark text on yellow. */
      color: #1d2330;
      background: #ffe08a;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MentionText {
  readonly text = input.required<string>();
  readonly mentions = input<readonly string[] | undefined>(undefined);
  readonly mentionsRoom = input<boolean | undefined>(undefined);
  /** Everyone's current name by id. */
  readonly names = input<Readonly<Record<string, string>>>({});
  readonly selfId = input<string | null>(null);

  protected readonly segments = computed(() => {
    const names = this.names();
    const self = this.selfId();
    return mentionSegments(this.text(), this.mentions(), this.mentionsRoom(), (id) => names[id]).map((segment) =>
      segment.kind === 'mention' ? { ...segment, self: segment.id === self } : { ...segment, self: false },
    );
  });
}

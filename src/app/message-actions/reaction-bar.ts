import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

import type { Reaction } from '../../../contract';

/**
 * "👍 2: Alice, Bob", "👍 44: Ann, Bo, Cy and 41 others": what a reaction button says to a screen
 * reader and on hover (the server names a few of the people; the rest are counted).
 */
export function reactionLabel(reaction: Reaction): string {
  const names = reaction.people.map((user) => user.name).join(', ');
  const others = reaction.count - reaction.people.length;
  const rest = others <= 0 ? '' : `${names ? ' and ' : ''}${others} ${others === 1 ? 'other' : 'others'}`;
  return `${reaction.emoji} ${reaction.count}: ${names}${rest}`;
}

/** A message's reactions as toggle buttons; the user's own are pressed. */
@Component({
  selector: 'hb-reaction-bar',
  template: `
    <ul class="reactions" aria-label="Reactions">
      @for (reaction of view(); track reaction.emoji) {
        <li>
          <button
            type="button"
            class="reaction"
            data-testid="reaction"
            [attr.data-emoji]="reaction.emoji"
            [attr.aria-pressed]="reaction.mine"
            [attr.aria-label]="reaction.label"
            [title]="reaction.label"
            (click)="toggleReaction.emit({ emoji: reaction.emoji, add: !reaction.mine })"
          >
            <span aria-hidden="true">{{ reaction.emoji }}</span>
            <span class="count" aria-hidden="true">{{ reaction.count }}</span>
          </button>
        </li>
      }
    </ul>
  `,
  styles: `
    .reactions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      list-style: none;
      margin: 0.2rem 0 0;
      padding: 0;
    }
    .reaction {
      display: inline-flex;
      gap: 0.25rem;
      align-items: center;
      padding: 0.05rem 0.45rem;
      font-size: 0.85rem;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 1rem;
    }
    .reaction[aria-pressed='true'] {
      background: var(--own);
      border-color: var(--accent);
    }
    .count {
      font-variant-numeric: tabular-nums;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReactionBar {
  readonly reactions = input.required<readonly Reaction[]>();
  readonly toggleReaction = output<{ emoji: string; add: boolean }>();

  protected readonly view = computed(() =>
    this.reactions().map((reaction) => ({
      emoji: reaction.emoji,
      count: reaction.count,
      mine: reaction.mine ?? false,
      label: reactionLabel(reaction),
    })),
  );
}

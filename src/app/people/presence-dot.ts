import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import type { PresenceState } from '../../../contract';

/** What each presence state is called, for screen readers and the tooltip. */
export const PRESENCE_TEXT: Readonly<Record<PresenceState, string>> = {
  active: 'active',
  away: 'away',
  dnd: 'do not disturb',
  offline: 'offline',
};

/**
 * A presence state as a dot whose shape differs as well as its colour (filled: active; a ring
 * half filled: away; a bar: do not disturb; an empty ring: offline), with its words for screen readers.
 */
@Component({
  selector: 'hb-presence-dot',
  template: `<span class="dot" aria-hidden="true"></span><span class="visually-hidden">{{ text() }}</span>`,
  styles: `
    :host {
      display: inline-flex;
      flex: none;
    }
    .dot {
      box-sizing: border-box;
      width: 0.65em;
      height: 0.65em;
      border-radius: 50%;
      border: 1.5px solid var(--muted);
    }
    :host([data-presence='active']) .dot {
      background: var(--online);
      border-color: var(--online);
    }
    :host([data-presence='away']) .dot {
      border-color: #b07800;
      background: linear-gradient(90deg, #b07800 50%, transparent 50%);
    }
    :host([data-presence='dnd']) .dot {
      border-color: var(--danger);
      background: linear-gradient(var(--danger), var(--danger)) center / 70% 2px no-repeat;
    }
  `,
  host: { '[attr.data-presence]': 'state()', '[attr.title]': 'text()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PresenceDot {
  readonly state = input.required<PresenceState>();
  protected readonly text = computed(() => PRESENCE_TEXT[this.state()]);
}

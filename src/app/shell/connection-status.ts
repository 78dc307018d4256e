import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import type { HubState } from '../core/chat-hub';

const labels: Record<HubState, string> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  disconnected: 'offline',
};

/** A dot and a word for the live connection. */
@Component({
  selector: 'hb-connection-status',
  template: `<span class="dot" aria-hidden="true"></span
    ><span data-testid="connection-state" role="status" [attr.data-state]="state()">{{ label() }}</span>`,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.4em;
      font-size: 0.85rem;
      color: var(--muted);
    }
    .dot {
      width: 0.6em;
      height: 0.6em;
      border-radius: 50%;
      background: var(--warning);
    }
    :host([data-state='connected']) .dot {
      background: var(--online);
    }
    :host([data-state='disconnected']) .dot {
      background: var(--danger);
    }
  `,
  host: { '[attr.data-state]': 'state()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConnectionStatus {
  readonly state = input.required<HubState>();
  protected readonly label = computed(() => labels[this.state()]);
}

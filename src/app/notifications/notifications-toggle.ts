import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Store } from '@ngrx/store';

import { NotificationsButtonActions } from './notifications.actions';
import { notificationsFeature } from './notifications.feature';

/** "Turn on notifications": the only place the browser's permission is asked for. */
@Component({
  selector: 'hb-notifications-toggle',
  template: `
    @switch (permission()) {
      @case ('default') {
        <button type="button" class="turn-on" data-testid="notifications-on" (click)="turnOn()">
          Turn on notifications
        </button>
      }
      @case ('denied') {
        <span class="state" data-testid="notifications-state">Notifications blocked</span>
      }
      @case ('granted') {
        <span class="state" data-testid="notifications-state">Notifications on</span>
      }
    }
  `,
  styles: `
    .turn-on {
      padding: 0.25rem 0.6rem;
      font-size: 0.8rem;
    }
    .state {
      font-size: 0.8rem;
      color: var(--muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationsToggle {
  private readonly store = inject(Store);
  protected readonly permission = this.store.selectSignal(notificationsFeature.selectPermission);

  protected turnOn(): void {
    this.store.dispatch(NotificationsButtonActions.turnOnClicked());
  }
}

import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  type ElementRef,
  inject,
  viewChild,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { NotificationsButtonActions } from './notifications.actions';
import { notificationsFeature } from './notifications.feature';

/**
 * "Turn on notifications": the only place the browser's permission is asked for. Once answered
 * the button goes, so the focus it had moves to the state text that replaces it (focusable by
 * script only); that text is a polite live region, so the answer is announced as well.
 */
@Component({
  selector: 'hb-notifications-toggle',
  template: `
    @if (permission() === 'default') {
      <button type="button" class="turn-on" data-testid="notifications-on" (click)="turnOn()">
        Turn on notifications
      </button>
    }
    <span #state class="state" role="status" tabindex="-1" data-testid="notifications-state">{{ stateText() }}</span>
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
  protected readonly stateText = computed(() => {
    switch (this.permission()) {
      case 'granted':
        return 'Notifications on';
      case 'denied':
        return 'Notifications blocked';
      default:
        return '';
    }
  });
  private readonly state = viewChild.required<ElementRef<HTMLElement>>('state');
  /** The button was clicked and its answer has not removed it yet. */
  private answerPending = false;

  constructor() {
    afterRenderEffect(() => {
      const state = this.state().nativeElement;
      if (this.permission() === 'default' || !this.answerPending) return;
      this.answerPending = false;
      // Only focus that went with the button: not where the user has moved on to meanwhile.
      const active = state.ownerDocument.activeElement;
      if (active === null || active === state.ownerDocument.body) state.focus();
    });
  }

  protected turnOn(): void {
    this.answerPending = true;
    this.store.dispatch(NotificationsButtonActions.turnOnClicked());
  }
}

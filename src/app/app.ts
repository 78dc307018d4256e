import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Store } from '@ngrx/store';

import { sessionFeature } from './auth/session.feature';
import { SignInPage } from './auth/sign-in-page';
import { ChatLayout } from './shell/chat-layout';

/** Signed in: the chat. Otherwise: the sign-in page (which also explains a server that cannot be reached). */
@Component({
  selector: 'hb-root',
  imports: [ChatLayout, SignInPage],
  template: `
    @switch (status()) {
      @case ('signedIn') {
        <hb-chat-layout />
      }
      @case ('loading') {
        <p class="loading" role="status">Loading…</p>
      }
      @default {
        <hb-sign-in-page />
      }
    }
  `,
  styles: `
    :host {
      display: block;
      height: 100dvh;
    }
    .loading {
      margin: 2rem;
      color: var(--muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly store = inject(Store);
  protected readonly status = this.store.selectSignal(sessionFeature.selectStatus);
}

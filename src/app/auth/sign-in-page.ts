import { ChangeDetectionStrategy, Component, DOCUMENT, inject } from '@angular/core';
import { Store } from '@ngrx/store';

import { SignInPageActions } from './session.actions';
import { sessionFeature } from './session.feature';
import { signInUrl } from './session-api';

/** Sign-in is a full-page visit to the platform's login; nothing to do here but link to it. */
@Component({
  selector: 'hb-sign-in-page',
  templateUrl: './sign-in-page.html',
  styleUrl: './sign-in-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage {
  private readonly store = inject(Store);
  protected readonly signInUrl = signInUrl(inject(DOCUMENT).location.pathname);
  protected readonly status = this.store.selectSignal(sessionFeature.selectStatus);
  protected readonly error = this.store.selectSignal(sessionFeature.selectError);

  protected retry(): void {
    this.store.dispatch(SignInPageActions.retryClicked());
  }
}

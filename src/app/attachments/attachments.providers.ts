import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as attachmentsEffects from './attachments.effects';
import { attachmentsFeature } from './attachments.feature';

/** Files in messages: uploads straight to Blob Storage with progress, sent with their message once stored. */
export function provideAttachments(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(attachmentsFeature), provideEffects(attachmentsEffects)]);
}

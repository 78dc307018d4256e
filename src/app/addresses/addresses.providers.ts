import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';

import * as addressesEffects from './addresses.effects';

/** The address bar and the store agree on the open room and message; its reducer is part of the `chat` slice. */
export function provideAddresses(): EnvironmentProviders {
  return makeEnvironmentProviders([provideEffects(addressesEffects)]);
}

import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as browserEffects from './browser.effects';
import { connectionFeature } from './connection.feature';

/** The hub connection's state and the browser's events, as state and actions. */
export function provideCore(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(connectionFeature), provideEffects(browserEffects)]);
}

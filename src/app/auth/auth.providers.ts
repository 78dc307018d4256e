import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as connectionEffects from './connection.effects';
import * as sessionEffects from './session.effects';
import { sessionFeature } from './session.feature';

/** The session, and the hub connection it opens while signed in. */
export function provideAuth(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(sessionFeature), provideEffects(sessionEffects, connectionEffects)]);
}

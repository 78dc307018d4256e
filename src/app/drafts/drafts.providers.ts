import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as draftsEffects from './drafts.effects';
import { draftsFeature } from './drafts.feature';

/** A draft per room, kept across room switches and reloads. */
export function provideDrafts(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(draftsFeature), provideEffects(draftsEffects)]);
}

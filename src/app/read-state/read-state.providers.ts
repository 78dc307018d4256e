import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as readStateEffects from './read-state.effects';
import { readStateFeature } from './read-state.feature';

/** The user's read state of every room, synced with the server and every other tab and device. */
export function provideReadState(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(readStateFeature), provideEffects(readStateEffects)]);
}

import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as membersEffects from './members.effects';
import { membersFeature } from './members.feature';

/** The members of the open room, for the composer's `@` list. */
export function provideMentions(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(membersFeature), provideEffects(membersEffects)]);
}

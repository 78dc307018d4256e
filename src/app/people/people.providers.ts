import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as peopleEffects from './people.effects';
import { usersFeature } from './users.feature';

/** Everyone and whether they are online. */
export function providePeople(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(usersFeature), provideEffects(peopleEffects)]);
}

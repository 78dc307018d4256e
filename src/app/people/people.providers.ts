import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as blocksEffects from './blocks.effects';
import { blocksFeature } from './blocks.feature';
import * as peopleEffects from './people.effects';
import { usersFeature } from './users.feature';

/** Everyone and whether they are online; whom the user blocked. */
export function providePeople(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideState(usersFeature),
    provideState(blocksFeature),
    provideEffects(peopleEffects, blocksEffects),
  ]);
}

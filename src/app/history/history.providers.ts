import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';

import * as historyEffects from './history.effects';

/** Loading a room's history, older pages, and catching up after a reconnect. Its reducer is part of the `chat` slice. */
export function provideHistory(): EnvironmentProviders {
  return makeEnvironmentProviders([provideEffects(historyEffects)]);
}

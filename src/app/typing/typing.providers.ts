import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as typingEffects from './typing.effects';
import { typingFeature } from './typing.feature';

/** "X is typing…": announcing our own typing and forgetting others' after a while. */
export function provideTyping(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(typingFeature), provideEffects(typingEffects)]);
}

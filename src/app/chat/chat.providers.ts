import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as chatEffects from './chat.effects';
import { chatFeature } from './chat.feature';

/** The `chat` slice (messages, open room, read state; the outbox and history reduce into it too). */
export function provideChat(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(chatFeature), provideEffects(chatEffects)]);
}

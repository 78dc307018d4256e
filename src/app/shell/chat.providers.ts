import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import { chatReducer } from './chat.reducer';
import * as titleEffects from './title.effects';

/** The `chat` slice (messages, open room, read state; the outbox, history and message actions reduce into it too). */
export function provideChat(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState('chat', chatReducer), provideEffects(titleEffects)]);
}

import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';

import * as messageActionsEffects from './message-actions.effects';

/** Editing, deleting and reacting to messages. Its reducer is part of the `chat` slice. */
export function provideMessageActions(): EnvironmentProviders {
  return makeEnvironmentProviders([provideEffects(messageActionsEffects)]);
}

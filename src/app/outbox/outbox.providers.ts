import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';

import * as outboxEffects from './outbox.effects';

/** Sending, retrying and keeping unsent messages across reloads. Its reducer is part of the `chat` slice. */
export function provideOutbox(): EnvironmentProviders {
  return makeEnvironmentProviders([provideEffects(outboxEffects)]);
}

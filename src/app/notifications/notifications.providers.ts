import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as notificationsEffects from './notifications.effects';
import { notificationsFeature } from './notifications.feature';

/** Browser notifications for mentions and direct messages while the tab is hidden. */
export function provideNotifications(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(notificationsFeature), provideEffects(notificationsEffects)]);
}

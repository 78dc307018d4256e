import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as roomsEffects from './rooms.effects';
import { roomsFeature } from './rooms.feature';

/** Rooms and direct messages: listing, creating, joining, leaving. */
export function provideRooms(): EnvironmentProviders {
  return makeEnvironmentProviders([provideState(roomsFeature), provideEffects(roomsEffects)]);
}

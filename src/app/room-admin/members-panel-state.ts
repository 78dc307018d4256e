import { createEnvironmentInjector, EnvironmentInjector, inject, Injectable } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import * as membersPanelEffects from './members-panel.effects';
import { membersPanelFeature } from './members-panel.feature';

/**
 * The members panel's state and effects, registered the first time a panel is shown: they come
 * with the panel's lazy chunk rather than the first download (as a lazy route's providers would).
 */
@Injectable({ providedIn: 'root' })
export class MembersPanelState {
  readonly injector = createEnvironmentInjector(
    [provideState(membersPanelFeature), provideEffects(membersPanelEffects)],
    inject(EnvironmentInjector),
    'Members panel',
  );
}

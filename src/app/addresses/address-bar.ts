import { inject, Injectable, Injector } from '@angular/core';
import { defer, map, type Observable, shareReplay } from 'rxjs';

import type { AddressRouter } from './address-router';

/** The address bar, through the Angular Router once its chunk has loaded (it starts loading with the app). */
@Injectable({ providedIn: 'root' })
export class AddressBar {
  private readonly injector = inject(Injector);

  readonly router$: Observable<AddressRouter> = defer(() => import('./address-router')).pipe(
    map(({ startRouter }) => startRouter(this.injector)),
    shareReplay(1),
  );
}

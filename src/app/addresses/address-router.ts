/**
 * The Angular Router on the app's addresses, in a chunk of its own: the app loads it as it starts
 * (address-bar.ts), so the router's 86 kB are not part of the first download that
 * bench/bundle-budget.mjs holds to its budget. The Router is provided in root, so starting it here
 * needs no `provideRouter` at bootstrap: this file gives it the routes and the first navigation.
 */
import type { Injector } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';
import { filter, map, type Observable } from 'rxjs';

import { type Address, addressOf, addressRoutes } from './addresses';

/** What the app asks of the router: where it is, when that changed, and to go somewhere. */
export interface AddressRouter {
  /** After each navigation that ended: a link, a reload, Back, Forward, or {@link navigate}. */
  readonly navigated$: Observable<void>;
  /** The address shown; null until the first navigation has ended. */
  current(): Address | null;
  /** `replace`: in place of the current history entry. The same address again counts as a navigation. */
  navigate(url: string, replace?: boolean): void;
}

export function startRouter(injector: Injector): AddressRouter {
  const router = injector.get(Router);
  router.resetConfig(addressRoutes);
  router.initialNavigation();
  return addressRouter(router);
}

export function addressRouter(router: Router): AddressRouter {
  return {
    navigated$: router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => undefined),
    ),
    current: () => (router.navigated ? addressOf(router.routerState.snapshot) : null),
    navigate: (url, replace = false) =>
      void router.navigateByUrl(url, { replaceUrl: replace, onSameUrlNavigation: 'reload' }),
  };
}

import { type EnvironmentProviders, inject, provideEnvironmentInitializer } from '@angular/core';

import { Formatter } from './formatter';

/** Message formatting: starts loading the parser right away, without holding up the app's start. */
export function provideFormatting(): EnvironmentProviders {
  return provideEnvironmentInitializer(() => void inject(Formatter).load());
}

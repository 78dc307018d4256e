import { InjectionToken } from '@angular/core';

/** `localStorage`, or null where there is none or it is blocked (private modes, sandboxed frames). */
export const LOCAL_STORAGE = new InjectionToken<Storage | null>('local storage', {
  providedIn: 'root',
  factory: () => {
    try {
      return globalThis.localStorage ?? null;
    } catch {
      return null;
    }
  },
});

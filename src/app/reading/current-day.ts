import { DestroyRef, inject, type Signal, signal } from '@angular/core';

/**
 * Now, refreshed just after each local midnight: what "Today" and "Yesterday" are counted from, so
 * a tab left open overnight relabels its day separators. Call it in an injection context.
 */
export function currentDay(): Signal<Date> {
  const day = signal(new Date());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const now = new Date();
    // A second past midnight: a timer that fires a little early still lands in the new day.
    const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 1);
    timer = setTimeout(() => {
      day.set(new Date());
      arm();
    }, next.getTime() - now.getTime());
  };
  arm();
  inject(DestroyRef).onDestroy(() => clearTimeout(timer));
  return day.asReadonly();
}

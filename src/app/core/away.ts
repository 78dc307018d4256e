import { inject, Injectable } from '@angular/core';
import {
  asyncScheduler,
  BehaviorSubject,
  combineLatest,
  concat,
  distinctUntilChanged,
  fromEvent,
  map,
  merge,
  type Observable,
  of,
  type SchedulerLike,
  shareReplay,
  startWith,
  switchMap,
  tap,
  throttleTime,
  timer,
} from 'rxjs';

import { AWAY_AFTER_MS } from '../../../contract';
import { LOCAL_STORAGE } from './local-storage';

/**
 * Test-only: a localStorage entry that shortens how long without input makes a person away
 * (milliseconds), so an end-to-end test need not wait AWAY_AFTER_MS. docs/behaviour.md, Away.
 */
export const AWAY_AFTER_MS_KEY = 'hubbub.test.awayAfterMs';

/** What counts as a person being there: any pointer, key, wheel or focus in the page. */
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'focusin', 'touchstart'] as const;

/**
 * True once `input$` has been quiet for `idleMs`, false again at the next input (and at the start):
 * each input restarts the wait.
 */
export function idleAfter(input$: Observable<unknown>, idleMs: number, scheduler: SchedulerLike = asyncScheduler) {
  return input$.pipe(
    startWith(null),
    switchMap(() => concat(of(false), timer(idleMs, scheduler).pipe(map(() => true)))),
    distinctUntilChanged(),
  );
}

/**
 * Whether the person is away: no input in any of their tabs here for AWAY_AFTER_MS (tabs tell each
 * other of input over a BroadcastChannel, at most once a second), or away set by hand.
 */
@Injectable({ providedIn: 'root' })
export class Away {
  private readonly byHand = new BehaviorSubject(false);
  private readonly idleMs = idleSetting(inject(LOCAL_STORAGE));

  /** Away set by hand (the profile page's switch); input does not end it. */
  readonly awayByHand$ = this.byHand.pipe(distinctUntilChanged());

  readonly away$: Observable<boolean> = combineLatest([this.idle(), this.byHand]).pipe(
    map(([idle, byHand]) => idle || byHand),
    distinctUntilChanged(),
    shareReplay({ bufferSize: 1, refCount: false }),
  );

  setAwayByHand(away: boolean): void {
    this.byHand.next(away);
  }

  private idle(): Observable<boolean> {
    if (typeof document === 'undefined') return of(false);
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('hubbub-input');
    const own$ = merge(...INPUT_EVENTS.map((type) => fromEvent(document, type, { capture: true, passive: true }))).pipe(
      throttleTime(1000),
      tap(() => channel?.postMessage(1)),
    );
    const others$ = channel ? fromEvent(channel, 'message') : of();
    return idleAfter(merge(own$, others$), this.idleMs);
  }
}

function idleSetting(storage: Storage | null): number {
  const set = Number(storage?.getItem(AWAY_AFTER_MS_KEY));
  return Number.isFinite(set) && set > 0 ? set : AWAY_AFTER_MS;
}

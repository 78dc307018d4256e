import { Store } from '@ngrx/store';
import { BehaviorSubject, type Observable, of, type Subscription, takeUntil, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { PRESENCE_HEARTBEAT_MS } from '../../../contract';
import { ApiError } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { StatusClockActions } from './people.actions';
import { expireStatuses, heartbeat } from './people.effects';
import type { PeopleApi } from './people-api';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const state = (s: 'connected' | 'reconnecting') => ChatHubActions.stateChanged({ state: s });

describe('heartbeat', () => {
  it('beats every PRESENCE_HEARTBEAT_MS while connected, stops when not, and shrugs off a 429', () => {
    scheduler.run(({ hot }) => {
      const beats: number[] = [];
      const api = {
        heartbeat: () => {
          beats.push(scheduler.now());
          return beats.length === 2 ? throwError(() => new ApiError(429, 'rate_limited', 'slow down', 30)) : of(null);
        },
      } as unknown as PeopleApi;
      const beat = PRESENCE_HEARTBEAT_MS;
      // Connected at 0, reconnecting just after the third beat, connected again at 100 s.
      const actions$ = hot(`c ${3 * beat + 10}ms r ${100_000 - 3 * beat - 12}ms c`, {
        c: state('connected'),
        r: state('reconnecting'),
      });
      const subscription: Subscription = heartbeat(actions$, api, scheduler, of(false))
        .pipe(takeUntil(timer(100_000 + beat + 5, scheduler)))
        .subscribe();
      scheduler.flush();
      subscription.unsubscribe();
      expect(beats).toEqual([beat, 2 * beat, 3 * beat, 100_000 + beat]);
    });
  });

  it('says away at once when the person goes idle, and back at once on input, then keeps the beat', () => {
    scheduler.run(({ hot }) => {
      const beats: [number, boolean][] = [];
      const api = {
        heartbeat: (away: boolean) => {
          beats.push([scheduler.now(), away]);
          return of(null);
        },
      } as unknown as PeopleApi;
      const beat = PRESENCE_HEARTBEAT_MS;
      const actions$ = hot('c', { c: state('connected') });
      // Idle at 1 s, back at 2 s.
      const away$: Observable<boolean> = hot('f 999ms t 999ms f', { f: false, t: true });
      const subscription = heartbeat(actions$, api, scheduler, away$)
        .pipe(takeUntil(timer(2000 + beat + 5, scheduler)))
        .subscribe();
      scheduler.flush();
      subscription.unsubscribe();
      expect(beats).toEqual([
        [1000, true],
        [2000, false],
        [2000 + beat, false],
      ]);
    });
  });

  it('says away at once on connecting while already away', () => {
    scheduler.run(({ hot }) => {
      const beats: [number, boolean][] = [];
      const api = {
        heartbeat: (away: boolean) => {
          beats.push([scheduler.now(), away]);
          return of(null);
        },
      } as unknown as PeopleApi;
      const actions$ = hot('5ms c', { c: state('connected') });
      const subscription = heartbeat(actions$, api, scheduler, new BehaviorSubject(true))
        .pipe(takeUntil(timer(10, scheduler)))
        .subscribe();
      scheduler.flush();
      subscription.unsubscribe();
      expect(beats).toEqual([[5, true]]);
    });
  });
});

describe('expireStatuses', () => {
  it('ends statuses when the soonest expiry comes, and waits for the next', () => {
    scheduler.run(({ hot, expectObservable }) => {
      // The store names the next expiry; once the first is gone (the reducer removed it) the next.
      const next$ = hot('a 1000ms b', { a: 1000, b: 3000 });
      const store = { select: () => next$ } as unknown as Store;
      expectObservable(expireStatuses(store, scheduler), '^ 5000ms !').toBe('1000ms x 1999ms y', {
        x: StatusClockActions.statusesExpired({ now: 1000 }),
        y: StatusClockActions.statusesExpired({ now: 3000 }),
      });
    });
  });
});

import { of, type Subscription, takeUntil, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { PRESENCE_HEARTBEAT_MS } from '../../../contract';
import { ApiError } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { heartbeat } from './people.effects';
import type { PeopleApi } from './people-api';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

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
      const state = (s: 'connected' | 'reconnecting') => ChatHubActions.stateChanged({ state: s });
      const beat = PRESENCE_HEARTBEAT_MS;
      // Connected at 0, reconnecting just after the third beat, connected again at 100 s.
      const actions$ = hot(`c ${3 * beat + 10}ms r ${100_000 - 3 * beat - 12}ms c`, {
        c: state('connected'),
        r: state('reconnecting'),
      });
      const subscription: Subscription = heartbeat(actions$, api, scheduler)
        .pipe(takeUntil(timer(100_000 + beat + 5, scheduler)))
        .subscribe();
      scheduler.flush();
      subscription.unsubscribe();
      expect(beats).toEqual([beat, 2 * beat, 3 * beat, 100_000 + beat]);
    });
  });
});

import { defer, EMPTY, type Observable, of, Subject, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { ChatHub } from '../core/chat-hub';
import { keepConnected } from './connection.effects';
import { SessionApiActions } from './session.actions';

describe('keepConnected', () => {
  it('connects after sign-in, retries a failed start with backoff, and reconnects after a close', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot }) => {
      const attempts: number[] = [];
      const results: Observable<void>[] = [
        throwError(() => new Error('down')),
        throwError(() => new Error('down')),
        of(undefined),
        of(undefined),
      ];
      const closed$ = new Subject<Error | undefined>();
      const hub = {
        closed$,
        start: () =>
          defer(() => {
            attempts.push(scheduler.now());
            return results.shift() ?? of(undefined);
          }),
      } as unknown as ChatHub;
      const actions$ = hot('a', { a: SessionApiActions.signedIn({ user: { id: 'u', name: 'Ann' } }) });
      keepConnected(actions$, hub, scheduler, (attempt) => attempt * 1_000, EMPTY).subscribe();
      scheduler.schedule(() => closed$.next(new Error('gave up')), 10_000);
      scheduler.flush();
      expect(attempts).toEqual([0, 1_000, 3_000, 10_000]);
    });
  });
});

import { BehaviorSubject, defer, type Observable, of, Subject, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { BrowserActions } from '../core/browser.actions';
import type { ChatHub, HubState } from '../core/chat-hub';
import { keepConnected } from './connection.effects';
import { SessionApiActions } from './session.actions';

const signedIn = SessionApiActions.signedIn({ user: { id: 'u', name: 'Ann' } });

/** A hub whose starts succeed or fail as listed, recording when each began and each drop. */
function fakeHub(scheduler: TestScheduler, results: Observable<void>[], initial: HubState = 'disconnected') {
  const attempts: number[] = [];
  const drops: number[] = [];
  const state$ = new BehaviorSubject<HubState>(initial);
  const closed$ = new Subject<Error | undefined>();
  const hub = {
    closed$,
    state$,
    start: () =>
      defer(() => {
        attempts.push(scheduler.now());
        return results.shift() ?? of(undefined);
      }),
    drop: () => {
      drops.push(scheduler.now());
      state$.next('disconnected');
    },
  } as unknown as ChatHub;
  return { hub, attempts, drops, state$, closed$ };
}

describe('keepConnected', () => {
  it('connects after sign-in, retries a failed start with backoff, and reconnects after a close', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot }) => {
      const { hub, attempts, closed$ } = fakeHub(scheduler, [
        throwError(() => new Error('down')),
        throwError(() => new Error('down')),
        of(undefined),
        of(undefined),
      ]);
      keepConnected(hot('a', { a: signedIn }), hub, scheduler, (attempt) => attempt * 1_000).subscribe();
      scheduler.schedule(() => closed$.next(new Error('gave up')), 10_000);
      scheduler.flush();
      expect(attempts).toEqual([0, 1_000, 3_000, 10_000]);
    });
  });

  it('the browser coming back online cuts a retry wait short', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot }) => {
      const { hub, attempts } = fakeHub(scheduler, [throwError(() => new Error('offline')), of(undefined)]);
      const actions$ = hot('a 499ms b', { a: signedIn, b: BrowserActions.onlineChanged({ online: true }) });
      keepConnected(actions$, hub, scheduler, () => 15_000).subscribe();
      scheduler.flush();
      expect(attempts).toEqual([0, 500]);
    });
  });

  it('online, a shown tab or a restored page drop a connection still reconnecting and start afresh at once', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot }) => {
      const { hub, attempts, drops, state$ } = fakeHub(scheduler, []);
      const actions$ = hot('a 999ms b 999ms c 999ms d', {
        a: signedIn,
        b: BrowserActions.visibilityChanged({ visible: true }),
        c: BrowserActions.pageRestored(),
        d: BrowserActions.onlineChanged({ online: true }),
      });
      keepConnected(actions$, hub, scheduler, () => 15_000).subscribe();
      // Connected after sign-in, then the SDK's own reconnect loop takes over (sleeping its delay).
      scheduler.schedule(() => state$.next('connected'), 1);
      scheduler.schedule(() => state$.next('reconnecting'), 500);
      scheduler.schedule(() => state$.next('reconnecting'), 1_500);
      // While connected, a shown tab changes nothing.
      scheduler.schedule(() => state$.next('connected'), 2_500);
      scheduler.flush();
      expect(drops).toEqual([1_000, 2_000]);
      expect(attempts).toEqual([0, 1_000, 2_000]);
    });
  });

  it('the browser going offline drops a live connection at once, so nothing says "connected" over a dead socket', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot }) => {
      const { hub, attempts, drops, state$ } = fakeHub(scheduler, [
        of(undefined),
        throwError(() => new Error('offline')),
      ]);
      const actions$ = hot('a 999ms b', { a: signedIn, b: BrowserActions.onlineChanged({ online: false }) });
      keepConnected(actions$, hub, scheduler, () => 15_000).subscribe();
      scheduler.schedule(() => state$.next('connected'), 1);
      scheduler.flush();
      expect(drops).toEqual([1_000]);
      // It tries again (failing while offline) and then waits for the network or the timer.
      expect(attempts).toEqual([0, 1_000, 16_000]);
    });
  });

  it('woken while an attempt is under way: if it fails, the next goes at once', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, cold }) => {
      const { hub, attempts, drops, state$ } = fakeHub(scheduler, [cold('300ms #'), of(undefined)]);
      const actions$ = hot('a 99ms b', { a: signedIn, b: BrowserActions.onlineChanged({ online: true }) });
      keepConnected(actions$, hub, scheduler, () => 15_000).subscribe();
      scheduler.schedule(() => state$.next('connecting'), 1);
      scheduler.schedule(() => state$.next('disconnected'), 300);
      scheduler.flush();
      expect(drops).toEqual([]);
      expect(attempts).toEqual([0, 300]);
    });
  });

  it('nothing reconnects before sign-in', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot }) => {
      const { hub, attempts, drops } = fakeHub(scheduler, []);
      keepConnected(hot('a', { a: BrowserActions.onlineChanged({ online: true }) }), hub, scheduler).subscribe();
      scheduler.flush();
      expect(attempts).toEqual([]);
      expect(drops).toEqual([]);
    });
  });
});

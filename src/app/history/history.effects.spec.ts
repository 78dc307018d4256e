import { BehaviorSubject, defer, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { Message, MessagePage } from '../../../contract';
import { ApiError } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { HistoryApiActions } from './history.actions';
import { catchUpAfterReconnect } from './history.effects';
import { selectRoomBounds } from './history.selectors';
import type { HistoryApi, HistoryCursor } from './history-api';

const ann = { id: 'u-ann', name: 'Ann' };

function stored(id: string, sentAt = '2026-01-01T10:00:01Z'): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ann, sentAt };
}

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('catchUpAfterReconnect', () => {
  it('asks each room for what came after its newest message before the connection was lost, page by page', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const requests: string[] = [];
      const pages: Record<string, MessagePage> = {
        a1: { messages: [stored('b1'), stored('b2')], hasMore: true, cursor: 2 },
        b2: { messages: [stored('b3')], hasMore: false, cursor: 3 },
      };
      const api = {
        history: (room: string, cursor: HistoryCursor) => {
          const after = cursor && 'after' in cursor ? cursor.after : '';
          requests.push(`${room}>${after}`);
          return of(pages[after] ?? { messages: [], hasMore: false });
        },
      } as unknown as HistoryApi;
      // Bounds move on while disconnected (our own send's POST response, "own"), but catch-up starts from a1.
      const bounds = new BehaviorSubject<object>({ general: { oldest: 'a0', newest: 'a1' } });
      scheduler.schedule(() => bounds.next({ general: { oldest: 'a0', newest: 'own' } }), 3);
      const store = { select: () => bounds } as never;
      const actions$ = hot('a b 3ms c', {
        a: ChatHubActions.stateChanged({ state: 'connected' }),
        b: ChatHubActions.stateChanged({ state: 'reconnecting' }),
        c: ChatHubActions.stateChanged({ state: 'connected' }),
      });
      expectObservable(catchUpAfterReconnect(actions$, store, api)).toBe('5ms m', {
        m: HistoryApiActions.caughtUp({ room: 'general', messages: [stored('b1'), stored('b2'), stored('b3')] }),
      });
      scheduler.flush();
      expect(requests).toEqual(['general>a1', 'general>b2']);
    });
  });

  it('fetches the newest page of a room that was empty when the connection was lost', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const api = {
        history: (room: string, cursor: HistoryCursor) =>
          of(
            !cursor && room === 'team'
              ? { messages: [stored('t1')], hasMore: false }
              : { messages: [], hasMore: false },
          ),
      } as unknown as HistoryApi;
      const bounds = new BehaviorSubject<object>({});
      const history = new BehaviorSubject<object>({ team: { loaded: true } });
      const store = {
        select: (selector: unknown) => (selector === selectRoomBounds ? bounds : history),
      } as never;
      const actions$ = hot('a b c', {
        a: ChatHubActions.stateChanged({ state: 'connected' }),
        b: ChatHubActions.stateChanged({ state: 'reconnecting' }),
        c: ChatHubActions.stateChanged({ state: 'connected' }),
      });
      expectObservable(catchUpAfterReconnect(actions$, store, api, scheduler)).toBe('--m', {
        m: HistoryApiActions.caughtUp({ room: 'team', messages: [stored('t1')] }),
      });
    });
  });

  it('keeps trying a catch-up that fails with a transient error, with backoff', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const answers = [
        cold<MessagePage>('#', {}, new ApiError(503, 'service_unavailable', 'down')),
        cold<MessagePage>('#', {}, new ApiError(0, 'network', 'offline')),
        of({ messages: [stored('b1')], hasMore: false }),
      ];
      // Like the real API, each subscription is a new request.
      const api = { history: () => defer(() => answers.shift()!) } as unknown as HistoryApi;
      const bounds = new BehaviorSubject<object>({ general: { oldest: 'a0', newest: 'a1' } });
      const store = {
        select: (selector: unknown) => (selector === selectRoomBounds ? bounds : of({})),
      } as never;
      const actions$ = hot('a b c', {
        a: ChatHubActions.stateChanged({ state: 'connected' }),
        b: ChatHubActions.stateChanged({ state: 'reconnecting' }),
        c: ChatHubActions.stateChanged({ state: 'connected' }),
      });
      // Fails at 2 ms, retried after 1 s, fails, retried after 2 s more: caught up at 3002 ms.
      expectObservable(catchUpAfterReconnect(actions$, store, api, scheduler)).toBe('3002ms m', {
        m: HistoryApiActions.caughtUp({ room: 'general', messages: [stored('b1')] }),
      });
    });
  });
});

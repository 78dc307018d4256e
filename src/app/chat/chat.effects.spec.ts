import type { Action } from '@ngrx/store';
import { BehaviorSubject, EMPTY, Observable, defer, of, throwError, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiError } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import type { Message, MessagePage } from '../../../contract';
import { ChatPageActions, MessagesApiActions, RateLimitActions } from './chat.actions';
import { announceTyping, catchUpAfterReconnect, endRateLimitWait, sendMessages } from './chat.effects';
import { chatFeature } from './chat.feature';
import type { ChatMessage } from './chat-message';
import type { HistoryCursor, MessagesApi } from './messages-api';
import type { SendPolicy } from './send-policy';

const ann = { id: 'u-ann', name: 'Ann' };

function draft(id: string): ChatMessage {
  return { id, room: 'general', text: `text ${id}`, sender: ann, sentAt: '2026-01-01T10:00:00Z', status: 'pending' };
}

function stored(id: string, sentAt = '2026-01-01T10:00:01Z'): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ann, sentAt };
}

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

function policy(): SendPolicy {
  return { retryDelays: [10, 20, 40], failAfter: 3, timeoutMs: 100, scheduler };
}

/** A MessagesApi whose send answers come from a script, one per call. */
function scriptedApi(answers: Observable<Message>[]): { api: MessagesApi; calls: string[] } {
  const calls: string[] = [];
  const api = {
    send: (message: { id: string }) => {
      calls.push(message.id);
      return answers.shift() ?? throwError(() => new Error('unexpected call'));
    },
  } as unknown as MessagesApi;
  return { api, calls };
}

const unavailable = () => throwError(() => new ApiError(503, 'service_unavailable', 'Storage is unavailable'));

describe('sendMessages', () => {
  it('sends with the client id and reports the stored message', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { api, calls } = scriptedApi([of(stored('m1'))]);
      const actions$ = hot('a', { a: ChatPageActions.messageSent({ message: draft('m1') }) });
      expectObservable(sendMessages(actions$, api, policy(), EMPTY)).toBe('s', {
        s: MessagesApiActions.sendSucceeded({ message: stored('m1') }),
      });
      scheduler.flush();
      expect(calls).toEqual(['m1']);
    });
  });

  it('retries a server failure with backoff and the same id, saying so in the meantime', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { api, calls } = scriptedApi([unavailable(), cold('5ms x', { x: stored('m1') })]);
      const actions$ = hot('a', { a: ChatPageActions.messageSent({ message: draft('m1') }) });
      expectObservable(sendMessages(actions$, api, policy(), EMPTY)).toBe('d 14ms s', {
        d: MessagesApiActions.sendDelayed({
          id: 'm1',
          room: 'general',
          error: 'Storage is unavailable (we\u2019ll keep trying)'.replace('\u2019', "'"),
        }),
        s: MessagesApiActions.sendSucceeded({ message: stored('m1') }),
      });
      scheduler.flush();
      expect(calls).toEqual(['m1', 'm1']);
    });
  });

  it('marks the message failed after repeated failures but keeps trying, and a Retry click tries at once', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { api, calls } = scriptedApi([unavailable(), unavailable(), unavailable(), of(stored('m1'))]);
      const message = draft('m1');
      // attempts at 0, 10, 30 (fails for the 3rd time: failed), then waiting 40 until the click at 35.
      const actions$ = hot('a 34ms r', {
        a: ChatPageActions.messageSent({ message }),
        r: ChatPageActions.retryClicked({ message: { ...message, status: 'failed' } }),
      });
      const error = "Storage is unavailable (we'll keep trying)";
      expectObservable(sendMessages(actions$, api, policy(), EMPTY)).toBe('d 9ms d 19ms f 4ms s', {
        d: MessagesApiActions.sendDelayed({ id: 'm1', room: 'general', error }),
        f: MessagesApiActions.sendFailed({ id: 'm1', room: 'general', error, retryable: true }),
        s: MessagesApiActions.sendSucceeded({ message: stored('m1') }),
      });
      scheduler.flush();
      expect(calls).toEqual(['m1', 'm1', 'm1', 'm1']);
    });
  });

  it('treats no answer within the timeout as a transient failure', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { api } = scriptedApi([cold('-'), of(stored('m1'))]);
      const actions$ = hot('a', { a: ChatPageActions.messageSent({ message: draft('m1') }) });
      expectObservable(sendMessages(actions$, api, policy(), EMPTY)).toBe('100ms d 9ms s', {
        d: MessagesApiActions.sendDelayed({
          id: 'm1',
          room: 'general',
          error: "Can't reach the server — your messages will go out when it's back",
        }),
        s: MessagesApiActions.sendSucceeded({ message: stored('m1') }),
      });
    });
  });

  it('does not retry a refusal; a 429 says when to try again', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { api, calls } = scriptedApi([throwError(() => new ApiError(429, 'rate_limited', 'Slow down', 7))]);
      const actions$ = hot('a', { a: ChatPageActions.messageSent({ message: draft('m1') }) });
      expectObservable(sendMessages(actions$, api, policy(), EMPTY)).toBe('f', {
        f: MessagesApiActions.sendFailed({
          id: 'm1',
          room: 'general',
          error: "You're sending too fast — try again in 7 s",
          retryable: false,
          retryAfterSeconds: 7,
        }),
      });
      scheduler.flush();
      expect(calls).toEqual(['m1']);
    });
  });

  it('sends one at a time in the order typed, and ignores a second request for a message already queued', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { api, calls } = scriptedApi([
        cold('10ms (x|)', { x: stored('m1') }),
        cold('10ms (x|)', { x: stored('m2') }),
      ]);
      const actions$ = hot('a b c', {
        a: ChatPageActions.messageSent({ message: draft('m1') }),
        b: ChatPageActions.messageSent({ message: draft('m2') }),
        c: ChatPageActions.retryClicked({ message: draft('m2') }),
      });
      expectObservable(sendMessages(actions$, api, policy(), EMPTY)).toBe('10ms x 9ms y', {
        x: MessagesApiActions.sendSucceeded({ message: stored('m1') }),
        y: MessagesApiActions.sendSucceeded({ message: stored('m2') }),
      });
      scheduler.flush();
      expect(calls).toEqual(['m1', 'm2']);
    });
  });
});

describe('catchUpAfterReconnect', () => {
  it('asks each room for what came after its newest message before the connection was lost, page by page', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const requests: string[] = [];
      const pages: Record<string, MessagePage> = {
        a1: { messages: [stored('b1'), stored('b2')], hasMore: true },
        b2: { messages: [stored('b3')], hasMore: false },
      };
      const api = {
        history: (room: string, cursor: HistoryCursor) => {
          const after = cursor && 'after' in cursor ? cursor.after : '';
          requests.push(`${room}>${after}`);
          return of(pages[after] ?? { messages: [], hasMore: false });
        },
      } as unknown as MessagesApi;
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
        m: MessagesApiActions.caughtUp({ room: 'general', messages: [stored('b1'), stored('b2'), stored('b3')] }),
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
      } as unknown as MessagesApi;
      const bounds = new BehaviorSubject<object>({});
      const history = new BehaviorSubject<object>({ team: { loaded: true } });
      const store = {
        select: (selector: unknown) => (selector === chatFeature.selectRoomBounds ? bounds : history),
      } as never;
      const actions$ = hot('a b c', {
        a: ChatHubActions.stateChanged({ state: 'connected' }),
        b: ChatHubActions.stateChanged({ state: 'reconnecting' }),
        c: ChatHubActions.stateChanged({ state: 'connected' }),
      });
      expectObservable(catchUpAfterReconnect(actions$, store, api, scheduler)).toBe('--m', {
        m: MessagesApiActions.caughtUp({ room: 'team', messages: [stored('t1')] }),
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
      const api = { history: () => defer(() => answers.shift()!) } as unknown as MessagesApi;
      const bounds = new BehaviorSubject<object>({ general: { oldest: 'a0', newest: 'a1' } });
      const store = {
        select: (selector: unknown) => (selector === chatFeature.selectRoomBounds ? bounds : of({})),
      } as never;
      const actions$ = hot('a b c', {
        a: ChatHubActions.stateChanged({ state: 'connected' }),
        b: ChatHubActions.stateChanged({ state: 'reconnecting' }),
        c: ChatHubActions.stateChanged({ state: 'connected' }),
      });
      // Fails at 2 ms, retried after 1 s, fails, retried after 2 s more: caught up at 3002 ms.
      expectObservable(catchUpAfterReconnect(actions$, store, api, scheduler)).toBe('3002ms m', {
        m: MessagesApiActions.caughtUp({ room: 'general', messages: [stored('b1')] }),
      });
    });
  });
});

describe('announceTyping', () => {
  it('tells the server at most once every 2.5 s per room', () => {
    scheduler.run(({ hot }) => {
      const posted: string[] = [];
      const api = {
        typing: (room: string) => {
          posted.push(`${room}@${scheduler.now()}`);
          return of(null);
        },
      } as unknown as MessagesApi;
      const typed = (room: string) => ChatPageActions.typed({ room });
      const actions$ = hot('a 99ms a 99ms b 2400ms a', { a: typed('general'), b: typed('team') });
      const subscription: Subscription = announceTyping(actions$, api, scheduler).subscribe();
      scheduler.flush();
      subscription.unsubscribe();
      expect(posted).toEqual(['general@0', 'team@200', 'general@2601']);
    });
  });
});

describe('endRateLimitWait', () => {
  it('ends the rate-limit notice after the Retry-After time', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const actions$ = hot<Action>('f', {
        f: MessagesApiActions.sendFailed({
          id: 'm',
          room: 'general',
          error: 'x',
          retryable: false,
          retryAfterSeconds: 2,
        }),
      });
      expectObservable(endRateLimitWait(actions$, scheduler)).toBe('2s w', {
        w: RateLimitActions.waitOver({ room: 'general' }),
      });
    });
  });
});

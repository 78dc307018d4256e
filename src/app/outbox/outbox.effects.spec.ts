import type { Action } from '@ngrx/store';
import { EMPTY, Observable, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { Message } from '../../../contract';
import { ApiError } from '../core/api-client';
import type { ChatMessage } from '../messages/chat-message';
import { ChatPageActions } from '../messages/chat-page.actions';
import type { MessagesApi } from './messages-api';
import { MessagesApiActions, OutboxActions, RateLimitActions } from './outbox.actions';
import { announceAfterRetry, endRateLimitWait, sendMessages } from './outbox.effects';
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

  it('waits as long as a busy server says (503 + Retry-After) before sending the same id again', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const busy = () => throwError(() => new ApiError(503, 'service_unavailable', 'Hubbub is busy', 2));
      const { api, calls } = scriptedApi([busy(), of(stored('m1'))]);
      const actions$ = hot('a', { a: ChatPageActions.messageSent({ message: draft('m1') }) });
      // The policy's first wait is 10 ms; the server asked for 2 s.
      expectObservable(sendMessages(actions$, api, policy(), EMPTY)).toBe('d 1999ms s', {
        d: MessagesApiActions.sendDelayed({ id: 'm1', room: 'general', error: "Hubbub is busy (we'll keep trying)" }),
        s: MessagesApiActions.sendSucceeded({ message: stored('m1') }),
      });
      scheduler.flush();
      expect(calls).toEqual(['m1', 'm1']);
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
          unreachable: true,
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

describe('announceAfterRetry', () => {
  const delayed = MessagesApiActions.sendDelayed({ id: 'm1', room: 'general', error: 'down' });
  const succeeded = MessagesApiActions.sendSucceeded({ message: stored('m1') });

  function announcingApi(answers: Observable<unknown>[]): { api: MessagesApi; calls: string[] } {
    const calls: string[] = [];
    const api = {
      announce: (message: { id: string }) => {
        calls.push(message.id);
        return answers.shift() ?? throwError(() => new Error('unexpected call'));
      },
    } as unknown as MessagesApi;
    return { api, calls };
  }

  it('asks for a broadcast after a send that succeeded only on a retry, until the server takes it', () => {
    scheduler.run(({ hot, cold, expectObservable, flush }) => {
      const down = throwError(() => new ApiError(500, 'internal', 'SignalR is down'));
      const { api, calls } = announcingApi([down, down, cold('(a|)', { a: undefined })]);
      const actions$ = hot('-a-b', { a: delayed, b: succeeded });
      expectObservable(announceAfterRetry(actions$, api, [10, 20], scheduler)).toBe('');
      flush();
      expect(calls).toEqual(['m1', 'm1', 'm1']);
    });
  });

  it('does not announce a send that succeeded at the first attempt, and stops on a refusal', () => {
    scheduler.run(({ hot, flush }) => {
      const refused = throwError(() => new ApiError(403, 'forbidden', 'not yours'));
      const { api, calls } = announcingApi([refused]);
      const other = MessagesApiActions.sendSucceeded({ message: stored('m2') });
      const actions$ = hot('-a-b-c', { a: other, b: delayed, c: succeeded });
      announceAfterRetry(actions$, api, [10], scheduler).subscribe();
      flush();
      expect(calls).toEqual(['m1']);
    });
  });

  it('announces messages restored from before a reload once they are sent', () => {
    scheduler.run(({ hot, cold, flush }) => {
      const { api, calls } = announcingApi([cold('(a|)', { a: undefined })]);
      const actions$ = hot('-a-b', { a: OutboxActions.restored({ messages: [draft('m1')] }), b: succeeded });
      announceAfterRetry(actions$, api, [10], scheduler).subscribe();
      flush();
      expect(calls).toEqual(['m1']);
    });
  });
});

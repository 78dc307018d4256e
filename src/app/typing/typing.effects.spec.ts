import { of, type Subscription, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { ApiError } from '../core/api-client';
import { ChatPageActions } from '../messages/chat-page.actions';
import { announceTyping } from './typing.effects';
import type { TypingApi } from './typing-api';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
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
      } as unknown as TypingApi;
      const typed = (room: string) => ChatPageActions.typed({ room });
      const actions$ = hot('a 99ms a 99ms b 2400ms a', { a: typed('general'), b: typed('team') });
      const subscription: Subscription = announceTyping(actions$, api, scheduler).subscribe();
      scheduler.flush();
      subscription.unsubscribe();
      expect(posted).toEqual(['general@0', 'team@200', 'general@2601']);
    });
  });

  it('says nothing when the server refuses a typing event with 429, and keeps announcing later', () => {
    scheduler.run(({ hot }) => {
      const posted: number[] = [];
      const api = {
        typing: () => {
          posted.push(scheduler.now());
          return posted.length === 1 ? throwError(() => new ApiError(429, 'rate_limited', 'slow down', 2)) : of(null);
        },
      } as unknown as TypingApi;
      const actions$ = hot('a 2999ms a', { a: ChatPageActions.typed({ room: 'general' }) });
      const emitted: unknown[] = [];
      let failed = false;
      const subscription = announceTyping(actions$, api, scheduler).subscribe({
        next: (value) => emitted.push(value),
        error: () => (failed = true),
      });
      scheduler.flush();
      subscription.unsubscribe();
      expect(posted).toEqual([0, 3000]);
      expect(failed).toBe(false);
    });
  });
});

import { of, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { ChatPageActions } from '../chat/chat-page.actions';
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
});

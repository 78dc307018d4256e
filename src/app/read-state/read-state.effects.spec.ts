import { BehaviorSubject, type Observable, of, Subject, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { MarkReadRequest, ReadState } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { ApiError } from '../core/api-client';
import { ChatHubActions } from '../core/hub.actions';
import { MessageListActions, ReadStateApiActions } from './read-state.actions';
import { loadReadState, markRoomRead, markUnread } from './read-state.effects';
import type { ReadStateApi } from './read-state-api';

const answer = (room: string, readSeq = 5): ReadState => ({
  room,
  readSeq,
  unread: 0,
  mentions: 0,
  muted: false,
  version: 2,
});

describe('markRoomRead', () => {
  it('marks the room on screen read at once, then at most every 500 ms with the latest target, and goes on after a failure', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      const calls: string[] = [];
      const api = {
        markRead: (room: string, request: MarkReadRequest) => {
          calls.push(`${room}:${JSON.stringify(request)}@${scheduler.now()}`);
          return calls.length === 2 ? throwError(() => new ApiError(429, 'rate_limited', 'slow', 1)) : of(answer(room));
        },
      } as unknown as ReadStateApi;
      const targets = new BehaviorSubject<unknown>(null);
      cold('n 10ms b 10ms c 600ms d', {
        n: null,
        b: { room: 'team', seq: 4, unread: 1 },
        c: { room: 'team', seq: 5, unread: 2 },
        d: { room: 'general', seq: undefined, unread: 1 },
      }).subscribe(targets);
      const store = { select: () => targets };
      expectObservable(markRoomRead(store as never, api, scheduler, 500)).toBe('11ms a 499ms b 499ms c', {
        a: ReadStateApiActions.readStateChanged({ state: answer('team') }),
        b: ReadStateApiActions.readStateChangeFailed({ room: 'team', error: 'slow' }),
        c: ReadStateApiActions.readStateChanged({ state: answer('general') }),
      });
      scheduler.flush();
      expect(calls).toEqual(['team:{"seq":4}@11', 'team:{"seq":5}@511', 'general:{}@1011']);
    });
  });
});

describe('read state requests', () => {
  it('loads on sign-in, on every connection and for a message from a room it has no state of', () => {
    const actions$ = new Subject<never>();
    const rooms$ = new BehaviorSubject<Record<string, ReadState>>({ team: answer('team') });
    let loads = 0;
    let pending: Subject<readonly ReadState[]> | null = null;
    const api = {
      list: (): Observable<readonly ReadState[]> => {
        loads++;
        return pending ?? of([answer('team')]);
      },
    } as unknown as ReadStateApi;
    const store = { select: () => rooms$ };
    const out: unknown[] = [];
    loadReadState(actions$, store as never, api).subscribe((a) => out.push(a));
    const message = (room: string) =>
      ChatHubActions.messageReceived({
        message: { id: 'm', room, text: '', sender: { id: 'x', name: 'X' }, sentAt: '' },
      });
    actions$.next(SessionApiActions.signedIn({ user: { id: 'u', name: 'U' } }) as never);
    actions$.next(ChatHubActions.stateChanged({ state: 'reconnecting' }) as never);
    actions$.next(ChatHubActions.stateChanged({ state: 'connected' }) as never);
    actions$.next(message('team') as never);
    actions$.next(message('dm-new') as never);
    expect(loads).toBe(3);
    // While a load is under way, more messages from unknown rooms start none: a busy room cannot starve it.
    pending = new Subject<readonly ReadState[]>();
    actions$.next(message('dm-new') as never);
    actions$.next(message('dm-new') as never);
    actions$.next(message('dm-other') as never);
    expect(loads).toBe(4);
    pending.next([answer('dm-new')]);
    pending.complete();
    actions$.next(message('dm-other') as never);
    expect(loads).toBe(5);
    expect(out).toContainEqual(ReadStateApiActions.readStateLoaded({ rooms: [answer('team')] }));
  });

  it('sends mark-as-unread, and answers with the server state', () => {
    const seen: string[] = [];
    const api = {
      markRead: (room: string, request: MarkReadRequest) => {
        seen.push(`read ${room} ${JSON.stringify(request)}`);
        return of(answer(room, 3));
      },
    } as unknown as ReadStateApi;
    const out: unknown[] = [];
    markUnread(of(MessageListActions.markUnreadClicked({ room: 'team', messageId: 'm1' })) as never, api).subscribe(
      (a) => out.push(a),
    );
    expect(seen).toEqual(['read team {"unreadFrom":"m1"}']);
    expect(out).toEqual([ReadStateApiActions.readStateChanged({ state: answer('team', 3) })]);
  });
});

import { BehaviorSubject, defer, type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { Message, MessagePage } from '../../../contract';
import { ApiError } from '../core/api-client';
import { BrowserActions } from '../core/browser.actions';
import type { HubState } from '../core/chat-hub';
import { connectionFeature } from '../core/connection.feature';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import type { Seek } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { HistoryApiActions } from './history.actions';
import { catchUp, findQuotedMessage } from './history.effects';
import { selectCatchUpCursors, selectRoomBounds, selectRoomHistories } from './history.selectors';
import type { HistoryApi, HistoryCursor } from './history-api';

const ann = { id: 'u-ann', name: 'Ann' };

function stored(id: string, seq: number, sentAt = '2026-01-01T10:00:01Z'): Message {
  return { id, room: 'general', text: `text ${id}`, sender: ann, sentAt, seq };
}

/** A stand-in store: each selector answers from its own subject. */
function storeOf(values: Map<unknown, Observable<unknown>>) {
  return { select: (selector: unknown) => values.get(selector) ?? of(undefined) } as never;
}

function cursorText(cursor: HistoryCursor): string {
  if (cursor === null) return 'newest';
  if ('around' in cursor) return `around ${cursor.around}`;
  return 'since' in cursor ? `since ${cursor.since}` : `before ${cursor.before}`;
}

/** A history API that records each request (`room since 5`) and answers from `pages`, else an empty page up to `cursor`. */
function recordingApi(pages: Record<string, MessagePage> = {}, cursor = 9) {
  const requests: string[] = [];
  const api = {
    history: (room: string, from: HistoryCursor) => {
      requests.push(`${room} ${cursorText(from)}`);
      return of(pages[cursorText(from)] ?? { messages: [], hasMore: false, cursor });
    },
  } as unknown as HistoryApi;
  return { api, requests };
}

/** A store with a connection state and the rooms' catch-up cursors. */
function hubStore(state: Observable<HubState> | HubState, cursors: Record<string, number>) {
  return storeOf(
    new Map<unknown, Observable<unknown>>([
      [connectionFeature.selectState, typeof state === 'string' ? of(state) : state],
      [selectCatchUpCursors, of(cursors)],
    ]),
  );
}

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('catchUp', () => {
  it('catches up on the first connection too, from the change number the loaded history holds, page by page', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { api, requests } = recordingApi(
        {
          'since 5': { messages: [stored('b6', 6), stored('b7', 7)], hasMore: true, cursor: 7 },
          'since 7': { messages: [stored('b8', 8)], hasMore: false, cursor: 8 },
        },
        0,
      );
      const state = new BehaviorSubject<HubState>('connecting');
      const store = hubStore(state, { general: 5 });
      // The history was read (cursor 5) before the connection opened; b6 was sent in between.
      const actions$ = hot('a', { a: ChatHubActions.stateChanged({ state: 'connected' }) });
      state.next('connected');
      expectObservable(catchUp(actions$, store, api)).toBe('(mn)', {
        m: HistoryApiActions.caughtUp({ room: 'general', messages: [stored('b6', 6), stored('b7', 7)], cursor: 7 }),
        n: HistoryApiActions.caughtUp({ room: 'general', messages: [stored('b8', 8)], cursor: 8 }),
      });
      scheduler.flush();
      expect(requests).toEqual(['general since 5', 'general since 7']);
    });
  });

  it('catches up from a page that arrives while already connected, and when the tab becomes visible', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { api, requests } = recordingApi();
      const store = hubStore('connected', { team: 9 });
      const actions$ = hot('a b c', {
        a: HistoryApiActions.historyLoaded({ room: 'team', messages: [], hasMore: false, cursor: 4 }),
        b: BrowserActions.visibilityChanged({ visible: false }),
        c: BrowserActions.visibilityChanged({ visible: true }),
      });
      expectObservable(catchUp(actions$, store, api)).toBe('a-c', {
        a: HistoryApiActions.caughtUp({ room: 'team', messages: [], cursor: 9 }),
        c: HistoryApiActions.caughtUp({ room: 'team', messages: [], cursor: 9 }),
      });
      scheduler.flush();
      expect(requests).toEqual(['team since 4', 'team since 9']);
    });
  });

  it('catches one room up when it is opened or joined again, and every room when the network or the page comes back', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const { api, requests } = recordingApi();
      const store = hubStore('connected', { team: 3, general: 7 });
      const team = { name: 'team', kind: 'room' as const, title: 'team', joined: true };
      const actions$ = hot('a b c d 9ms e', {
        // Rejoined: the history is loaded, so only catch-up brings what was said meanwhile.
        a: RoomsApiActions.roomJoined({ room: team }),
        // Never loaded: its newest page comes from loadHistory, nothing to catch up from.
        b: ChatPageActions.roomSelected({ room: 'new-room' }),
        c: ChatPageActions.roomSelected({ room: 'general' }),
        d: BrowserActions.onlineChanged({ online: true }),
        e: BrowserActions.pageRestored(),
      });
      expectObservable(catchUp(actions$, store, api)).toBe('a-c(de) 6ms (fg)', {
        a: HistoryApiActions.caughtUp({ room: 'team', messages: [], cursor: 9 }),
        c: HistoryApiActions.caughtUp({ room: 'general', messages: [], cursor: 9 }),
        d: HistoryApiActions.caughtUp({ room: 'team', messages: [], cursor: 9 }),
        e: HistoryApiActions.caughtUp({ room: 'general', messages: [], cursor: 9 }),
        f: HistoryApiActions.caughtUp({ room: 'team', messages: [], cursor: 9 }),
        g: HistoryApiActions.caughtUp({ room: 'general', messages: [], cursor: 9 }),
      });
      scheduler.flush();
      expect(requests).toEqual([
        'team since 3',
        'general since 7',
        'team since 3',
        'general since 7',
        'team since 3',
        'general since 7',
      ]);
    });
  });

  it('does nothing while not connected', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const api = { history: () => of({ messages: [], hasMore: false, cursor: 1 }) } as unknown as HistoryApi;
      const store = hubStore('reconnecting', { general: 1 });
      const actions$ = hot('a b', {
        a: HistoryApiActions.historyLoaded({ room: 'general', messages: [], hasMore: false, cursor: 1 }),
        b: BrowserActions.visibilityChanged({ visible: true }),
      });
      expectObservable(catchUp(actions$, store, api)).toBe('');
    });
  });

  it('keeps trying a catch-up that fails with a transient error, with backoff', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const answers = [
        cold<MessagePage>('#', {}, new ApiError(503, 'service_unavailable', 'down')),
        cold<MessagePage>('#', {}, new ApiError(0, 'network', 'offline')),
        of({ messages: [stored('b1', 2)], hasMore: false, cursor: 2 }),
      ];
      // Like the real API, each subscription is a new request.
      const api = { history: () => defer(() => answers.shift()!) } as unknown as HistoryApi;
      const store = hubStore('connected', { general: 1 });
      const actions$ = hot('--c', { c: ChatHubActions.stateChanged({ state: 'connected' }) });
      // Fails at 2 ms, retried after 1 s, fails, retried after 2 s more: caught up at 3002 ms.
      expectObservable(catchUp(actions$, store, api, scheduler)).toBe('3002ms m', {
        m: HistoryApiActions.caughtUp({ room: 'general', messages: [stored('b1', 2)], cursor: 2 }),
      });
    });
  });
});

describe('findQuotedMessage', () => {
  function setup(pages: Record<string, MessagePage>, hasMore = true) {
    const requests: string[] = [];
    const api = {
      history: (_room: string, cursor: HistoryCursor) => {
        requests.push(cursorText(cursor));
        return of(pages[cursorText(cursor)] ?? { messages: [], hasMore: false, cursor: 0 });
      },
    } as unknown as HistoryApi;
    const seek = new BehaviorSubject<Seek | null>({ room: 'general', id: 'q', status: 'loading' });
    const store = storeOf(
      new Map<unknown, Observable<unknown>>([
        [selectRoomHistories, of({ general: { loaded: true, hasMore } })],
        [selectRoomBounds, of({ general: { oldest: 'm50', newest: 'm99' } })],
        [chatSelectors.selectSeek, seek],
      ]),
    );
    return { api, store, requests };
  }

  it('pages back until the quoted message is loaded', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const older = { messages: [stored('m0', 1)], hasMore: true, cursor: 99 };
      const withQuote = { messages: [stored('q', 1), stored('m1', 2)], hasMore: true, cursor: 99 };
      const { api, store, requests } = setup({ 'before m50': older, 'before m0': withQuote });
      const actions$ = hot('a', { a: ChatPageActions.quotedMessageRequested({ room: 'general', id: 'q' }) });
      expectObservable(findQuotedMessage(actions$, store, api)).toBe('(abc)', {
        a: HistoryApiActions.olderLoaded({ room: 'general', messages: older.messages, hasMore: true }),
        b: HistoryApiActions.olderLoaded({ room: 'general', messages: withQuote.messages, hasMore: true }),
        c: HistoryApiActions.quotedMessageFound({ room: 'general', id: 'q' }),
      });
      scheduler.flush();
      expect(requests).toEqual(['before m50', 'before m0']);
    });
  });

  it('gives up when history runs out, or when there is no older history at all', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const last = { messages: [stored('m0', 1)], hasMore: false, cursor: 99 };
      const { api, store } = setup({ 'before m50': last });
      const actions$ = hot('a', { a: ChatPageActions.quotedMessageRequested({ room: 'general', id: 'q' }) });
      expectObservable(findQuotedMessage(actions$, store, api)).toBe('(ab)', {
        a: HistoryApiActions.olderLoaded({ room: 'general', messages: last.messages, hasMore: false }),
        b: HistoryApiActions.quotedMessageMissing({ room: 'general', id: 'q' }),
      });
    });
    scheduler.run(({ hot, expectObservable }) => {
      const { api, store, requests } = setup({}, false);
      const actions$ = hot('a', { a: ChatPageActions.quotedMessageRequested({ room: 'general', id: 'q' }) });
      expectObservable(findQuotedMessage(actions$, store, api)).toBe('a', {
        a: HistoryApiActions.quotedMessageMissing({ room: 'general', id: 'q' }),
      });
      scheduler.flush();
      expect(requests).toEqual([]);
    });
  });
});

import { Injector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NavigationEnd, provideRouter, Router } from '@angular/router';
import type { Action } from '@ngrx/store';
import { BehaviorSubject, filter, firstValueFrom, type Observable, of, Subject, throwError } from 'rxjs';

import type { MessagePage } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { ApiError } from '../core/api-client';
import { HistoryApiActions } from '../history/history.actions';
import type { HistoryApi, HistoryCursor } from '../history/history-api';
import { chatSelectors } from '../messages/chat.selectors';
import type { LinkedMessage } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { BrowserNotificationActions } from '../notifications/notifications.actions';
import { RoomsApiActions } from '../rooms/rooms.actions';
import type { AddressBar } from './address-bar';
import { addressRouter, startRouter } from './address-router';
import { addressOf, addressRoutes, messagePath } from './addresses';
import { LinkedMessageApiActions } from './addresses.actions';
import { followAddress, loadLinkedMessage, openNotifiedMessage, showRoomInAddress } from './addresses.effects';

function setup() {
  TestBed.configureTestingModule({ providers: [provideRouter(addressRoutes)] });
  const router = TestBed.inject(Router);
  const status = new BehaviorSubject<string>('signedIn');
  const active = new BehaviorSubject('general');
  const linked = new BehaviorSubject<LinkedMessage | null>(null);
  const history = new BehaviorSubject<Record<string, { loaded: boolean }>>({});
  const selected = new Map<unknown, Observable<unknown>>([
    [sessionFeature.selectStatus, status],
    [chatSelectors.selectActiveRoom, active],
    [chatSelectors.selectLinked, linked],
    [chatSelectors.selectHistory, history],
  ]);
  const store = { select: (selector: unknown) => selected.get(selector) } as never;
  const actions$ = new Subject<Action>();
  /** Resolves once the router has finished its next navigation (one an effect started). */
  const navigated = () => firstValueFrom(router.events.pipe(filter((event) => event instanceof NavigationEnd)));
  const addressBar = { router$: of(addressRouter(router)) } as AddressBar;
  return { router, status, active, linked, history, store, actions$, navigated, addressBar };
}

describe('addresses', () => {
  it('name a room, a direct message or a message; anything else opens general', async () => {
    const { router } = setup();
    await router.navigateByUrl(messagePath('team', 'm-1'));
    expect(router.url).toBe('/r/team/m/m-1');
    expect(addressOf(router.routerState.snapshot)).toEqual({ room: 'team', messageId: 'm-1' });
    await router.navigateByUrl('/r/dm-0a1b');
    expect(addressOf(router.routerState.snapshot)).toEqual({ room: 'dm-0a1b', messageId: null });
    for (const url of ['/', '/r/Team', '/r/team/m', '/r/team/x/m-1', '/rooms/team', '/r/team/m/m-1/more']) {
      await router.navigateByUrl(url);
      expect([url, router.url]).toEqual([url, '/r/general']);
    }
    expect(messagePath('team', 'a b')).toBe('/r/team/m/a%20b');
  });

  it('start the root Router, loaded apart, on the address the page was opened at', async () => {
    TestBed.configureTestingModule({});
    const router = startRouter(TestBed.inject(Injector));
    expect(router.current()).toBeNull();
    await firstValueFrom(router.navigated$);
    expect(router.current()).toEqual({ room: 'general', messageId: null });
  });
});

describe('followAddress', () => {
  it('opens the message, then the room, that the address names, once signed in', async () => {
    const { router, status, active, store, actions$, addressBar } = setup();
    const out: Action[] = [];
    followAddress(actions$, store, addressBar).subscribe((a) => out.push(a));
    status.next('loading');
    await router.navigateByUrl('/r/team/m/m-1');
    expect(out).toEqual([]);
    status.next('signedIn');
    actions$.next(SessionApiActions.signedIn({ user: { id: 'u-ann', name: 'Ann' } }));
    expect(out).toEqual([
      ChatPageActions.messageLinkOpened({ room: 'team', id: 'm-1' }),
      ChatPageActions.roomSelected({ room: 'team' }),
    ]);
    // Back to a room already on screen selects nothing again; another room is selected.
    active.next('team');
    out.length = 0;
    await router.navigateByUrl('/r/team');
    await router.navigateByUrl('/r/general');
    expect(out).toEqual([ChatPageActions.roomSelected({ room: 'general' })]);
  });
});

describe('showRoomInAddress', () => {
  it('puts the room opened in the address, and leaves an address that already names it', async () => {
    const { router, active, store, actions$, navigated, addressBar } = setup();
    showRoomInAddress(actions$, store, addressBar).subscribe();
    await router.navigateByUrl('/r/general');
    active.next('team');
    const done = navigated();
    actions$.next(RoomsApiActions.roomJoined({ room: { name: 'team', kind: 'room', title: 'team', joined: true } }));
    await done;
    expect(router.url).toBe('/r/team');
    await router.navigateByUrl('/r/team/m/m-1');
    actions$.next(ChatPageActions.roomSelected({ room: 'team' }));
    expect(router.url).toBe('/r/team/m/m-1');
  });
});

describe('openNotifiedMessage', () => {
  it("opens the clicked notification's message address", async () => {
    const { router, actions$, navigated, addressBar } = setup();
    openNotifiedMessage(actions$, addressBar).subscribe();
    const done = navigated();
    actions$.next(BrowserNotificationActions.clicked({ room: 'team', messageId: 'm-9' }));
    await done;
    expect(router.url).toBe('/r/team/m/m-9');
  });
});

describe('loadLinkedMessage', () => {
  const page: MessagePage = { messages: [], hasMore: true, cursor: 7 };

  function run(answer: (cursor: HistoryCursor) => Observable<MessagePage>) {
    const { store, actions$, linked, history } = setup();
    const requests: HistoryCursor[] = [];
    const api = {
      history: (_room: string, cursor: HistoryCursor) => {
        requests.push(cursor);
        return answer(cursor);
      },
    } as unknown as HistoryApi;
    const out: Action[] = [];
    loadLinkedMessage(actions$, store, api).subscribe((a) => out.push(a));
    const open = () => {
      linked.next({ room: 'team', id: 'm-1', status: 'loading' });
      actions$.next(ChatPageActions.messageLinkOpened({ room: 'team', id: 'm-1' }));
    };
    return { out, requests, open, history, linked, actions$ };
  }

  it('loads the page around the message as the room’s first page', () => {
    const { out, requests, open } = run(() => of(page));
    open();
    expect(requests).toEqual([{ around: 'm-1' }]);
    expect(out).toEqual([HistoryApiActions.historyLoaded({ room: 'team', messages: [], hasMore: true, cursor: 7 })]);
  });

  it('opens the newest page of the room when it has no such message', () => {
    const { out, requests, open } = run((cursor) =>
      cursor ? throwError(() => new ApiError(404, 'not_found', 'No message m-1 in team')) : of(page),
    );
    open();
    expect(requests).toEqual([{ around: 'm-1' }, null]);
    expect(out).toEqual([
      LinkedMessageApiActions.linkedMessageMissing({ room: 'team', id: 'm-1' }),
      HistoryApiActions.historyLoaded({ room: 'team', messages: [], hasMore: true, cursor: 7 }),
    ]);
  });

  it('outside the room, fails (the room offers to join) and loads the page once joined', () => {
    let member = false;
    const { out, requests, open, actions$ } = run(() =>
      member ? of(page) : throwError(() => new ApiError(403, 'forbidden', 'You are not a member of team')),
    );
    open();
    expect(out).toEqual([
      HistoryApiActions.historyFailed({ room: 'team', error: 'You are not a member of team', status: 403 }),
    ]);
    member = true;
    actions$.next(RoomsApiActions.roomJoined({ room: { name: 'team', kind: 'room', title: 'team', joined: true } }));
    expect(requests).toEqual([{ around: 'm-1' }, { around: 'm-1' }]);
    expect(out.at(-1)).toEqual(
      HistoryApiActions.historyLoaded({ room: 'team', messages: [], hasMore: true, cursor: 7 }),
    );
  });

  it('does nothing for a room already loaded or a message already shown', () => {
    const { requests, history, linked, actions$ } = run(() => of(page));
    linked.next({ room: 'team', id: 'm-1', status: 'found' });
    actions$.next(ChatPageActions.messageLinkOpened({ room: 'team', id: 'm-1' }));
    history.next({ team: { loaded: true } });
    linked.next({ room: 'team', id: 'm-2', status: 'loading' });
    actions$.next(ChatPageActions.messageLinkOpened({ room: 'team', id: 'm-2' }));
    expect(requests).toEqual([]);
  });
});

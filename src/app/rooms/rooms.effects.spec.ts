import { TestBed } from '@angular/core/testing';
import { provideMockActions } from '@ngrx/effects/testing';
import type { Action } from '@ngrx/store';
import { provideMockStore } from '@ngrx/store/testing';
import { firstValueFrom, of, Subject, toArray } from 'rxjs';

import type { Room } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { chatSelectors } from '../messages/chat.selectors';
import { PeopleListActions } from '../people/people.actions';
import { RoomAccessActions, RoomsApiActions, RoomsSidebarActions } from './rooms.actions';
import { createRoom, loseRoom, openDirectMessage } from './rooms.effects';
import { roomsFeature } from './rooms.feature';
import { RoomsApi } from './rooms-api';

const secret: Room = { name: 'secret', kind: 'room', title: 'Launch plans', joined: true, private: true };
const left: Room = { name: 'art', kind: 'room', title: 'art', joined: false };

function setUp(active: string) {
  const actions$ = new Subject<Action>();
  const created: [string, boolean][] = [];
  const opened: (string | readonly string[])[] = [];
  TestBed.configureTestingModule({
    providers: [
      provideMockActions(() => actions$),
      provideMockStore({
        selectors: [
          { selector: roomsFeature.selectRoomEntities, value: { secret, art: left } },
          { selector: chatSelectors.selectActiveRoom, value: active },
        ],
      }),
      {
        provide: RoomsApi,
        useValue: {
          create: (name: string, isPrivate: boolean) => {
            created.push([name, isPrivate]);
            return of({ name, kind: 'room', title: name, joined: true, private: isPrivate });
          },
          openDirectMessage: (people: string | readonly string[]) => {
            opened.push(people);
            return of({ name: `dm-${opened.length}`, kind: 'dm', title: 'x', joined: true });
          },
        },
      },
    ],
  });
  return { actions$, created, opened };
}

describe('loseRoom', () => {
  it('takes the open room away with its title and why, and ignores rooms already gone or added', async () => {
    const { actions$ } = setUp('secret');
    const out = TestBed.runInInjectionContext(() => firstValueFrom(loseRoom().pipe(toArray())));
    actions$.next(ChatHubActions.membershipChanged({ membership: { name: 'secret', removed: 'banned' } }));
    // Not joined (left in this tab already), unknown, or an addition: nothing to lose.
    actions$.next(ChatHubActions.membershipChanged({ membership: { name: 'art', removed: 'left' } }));
    actions$.next(ChatHubActions.membershipChanged({ membership: { name: 'gone', removed: 'removed' } }));
    actions$.next(ChatHubActions.membershipChanged({ membership: { name: 'secret', room: secret } }));
    actions$.complete();
    expect(await out).toEqual([
      RoomAccessActions.roomLost({ room: 'secret', title: 'Launch plans', reason: 'banned', open: true }),
    ]);
  });

  it('says whether the lost room was the one on screen', async () => {
    const { actions$ } = setUp('general');
    const out = TestBed.runInInjectionContext(() => firstValueFrom(loseRoom().pipe(toArray())));
    actions$.next(ChatHubActions.membershipChanged({ membership: { name: 'secret', removed: 'removed' } }));
    actions$.complete();
    expect(await out).toEqual([
      RoomAccessActions.roomLost({ room: 'secret', title: 'Launch plans', reason: 'removed', open: false }),
    ]);
  });
});

describe('createRoom', () => {
  it('asks for a private room when the switch was on', async () => {
    const { actions$, created } = setUp('general');
    const out = TestBed.runInInjectionContext(() => firstValueFrom(createRoom().pipe(toArray())));
    actions$.next(RoomsSidebarActions.createRoomSubmitted({ name: 'secret', private: true }));
    actions$.next(RoomsSidebarActions.createRoomSubmitted({ name: 'open', private: false }));
    actions$.complete();
    expect(created).toEqual([
      ['secret', true],
      ['open', false],
    ]);
    expect((await out).map((action) => action.type)).toEqual([
      RoomsApiActions.roomCreated.type,
      RoomsApiActions.roomCreated.type,
    ]);
  });
});

describe('openDirectMessage', () => {
  it('opens the DM with one person, or the group conversation with the people chosen', async () => {
    const { actions$, opened } = setUp('general');
    const out = TestBed.runInInjectionContext(() => firstValueFrom(openDirectMessage().pipe(toArray())));
    actions$.next(PeopleListActions.directMessageClicked({ userId: 'u-ben' }));
    actions$.next(PeopleListActions.groupSubmitted({ userIds: ['u-ben', 'u-cat'] }));
    actions$.complete();
    expect(opened).toEqual(['u-ben', ['u-ben', 'u-cat']]);
    expect((await out).map((action) => 'room' in action && action.room.name)).toEqual(['dm-1', 'dm-2']);
  });
});

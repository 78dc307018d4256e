import { TestBed } from '@angular/core/testing';
import { provideMockActions } from '@ngrx/effects/testing';
import type { Action } from '@ngrx/store';
import { firstValueFrom, type Observable, of, Subject, throwError, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { Room } from '../../../contract';
import { ApiError } from '../core/api-client';
import { PeopleApi } from '../people/people-api';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { changeMembers, loadMembers, saveSettings, searchPeople } from './members-panel.effects';
import { MembersPanelActions, RoomAdminApiActions } from './room-admin.actions';
import { RoomAdminApi } from './room-admin-api';

const ben = { id: 'u-ben', name: 'Ben' };
const refusal = (message: string) => throwError(() => new ApiError(403, 'forbidden', message));

function setUp(api: Partial<Record<keyof RoomAdminApi, (...args: never[]) => Observable<unknown>>>) {
  const actions$ = new Subject<Action>();
  const calls: string[] = [];
  const recorded = new Proxy(api, {
    get: (target, key: string) => {
      const call = target[key as keyof RoomAdminApi] as ((...args: unknown[]) => Observable<unknown>) | undefined;
      return (...args: unknown[]) => {
        calls.push(`${key} ${args.join(' ')}`);
        return call ? call(...(args as never[])) : of(null);
      };
    },
  });
  TestBed.configureTestingModule({
    providers: [provideMockActions(() => actions$), { provide: RoomAdminApi, useValue: recorded }],
  });
  return { actions$, calls };
}

describe('members panel effects', () => {
  it('turns each change into its request and shows a refusal where it was asked for', async () => {
    const { actions$, calls } = setUp({
      remove: (_room: string, userId: string) =>
        userId === 'u-ben' ? refusal('Only admins may remove people') : of(null),
    });
    const out = TestBed.runInInjectionContext(() => firstValueFrom(changeMembers().pipe(toArray())));
    actions$.next(MembersPanelActions.addClicked({ room: 'secret', user: ben }));
    actions$.next(MembersPanelActions.removeConfirmed({ room: 'secret', user: ben, ban: true }));
    actions$.next(MembersPanelActions.roleChosen({ room: 'secret', user: ben, role: 'admin' }));
    actions$.next(MembersPanelActions.unbanClicked({ room: 'secret', user: ben }));
    actions$.complete();
    expect(calls).toEqual([
      'add secret u-ben',
      'remove secret u-ben true',
      'setRole secret u-ben admin',
      'unban secret u-ben',
    ]);
    expect(await out).toEqual([
      RoomAdminApiActions.memberAdded({ room: 'secret', user: ben }),
      RoomAdminApiActions.changeFailed({ room: 'secret', target: 'u-ben', error: 'Only admins may remove people' }),
      RoomAdminApiActions.roleChanged({ room: 'secret', userId: 'u-ben', role: 'admin' }),
      RoomAdminApiActions.unbanned({ room: 'secret', userId: 'u-ben' }),
    ]);
  });

  it('adding someone to a DM opens the new group conversation the server started', async () => {
    const group: Room = { name: 'dm-group', kind: 'dm', title: 'Ben, Cat', joined: true };
    const { actions$, calls } = setUp({
      startGroup: (_room: string, userId: string) => (userId === 'u-ben' ? of(group) : refusal('Already in it')),
    });
    const out = TestBed.runInInjectionContext(() => firstValueFrom(changeMembers().pipe(toArray())));
    actions$.next(MembersPanelActions.addClicked({ room: 'dm-pair', user: ben }));
    actions$.next(MembersPanelActions.addClicked({ room: 'dm-pair', user: { id: 'u-cat', name: 'Cat' } }));
    actions$.complete();
    expect(calls).toEqual(['startGroup dm-pair u-ben', 'startGroup dm-pair u-cat']);
    expect(await out).toEqual([
      RoomAdminApiActions.groupStarted({ room: 'dm-pair' }),
      RoomsApiActions.directMessageOpened({ room: group }),
      RoomAdminApiActions.changeFailed({ room: 'dm-pair', target: 'add', error: 'Already in it' }),
    ]);
  });

  it('loads the members, and the bans only for those who may see them', async () => {
    const { actions$, calls } = setUp({
      members: () => of([{ ...ben, role: 'owner' }]),
      bans: () => refusal('no'),
    });
    const out = TestBed.runInInjectionContext(() => firstValueFrom(loadMembers().pipe(toArray())));
    actions$.next(MembersPanelActions.opened({ room: 'team', manage: false }));
    actions$.next(MembersPanelActions.opened({ room: 'secret', manage: true }));
    actions$.complete();
    expect(calls).toEqual(['members team', 'members secret', 'bans secret']);
    expect(await out).toEqual([
      RoomAdminApiActions.membersLoaded({ room: 'team', members: [{ ...ben, role: 'owner' }] }),
      RoomAdminApiActions.membersLoaded({ room: 'secret', members: [{ ...ben, role: 'owner' }] }),
    ]);
  });

  it('saves the settings as asked, keeping what the server refused visible', async () => {
    const { actions$ } = setUp({ update: () => refusal('title must be 1-64 characters') });
    const out = TestBed.runInInjectionContext(() => firstValueFrom(saveSettings().pipe(toArray())));
    actions$.next(MembersPanelActions.settingsSaved({ room: 'secret', changes: { title: 'x' } }));
    actions$.complete();
    expect(await out).toEqual([
      RoomAdminApiActions.changeFailed({ room: 'secret', target: 'settings', error: 'title must be 1-64 characters' }),
    ]);
  });

  it('searches people once typing pauses, never for an empty box', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, expectObservable }) => {
      const queries: string[] = [];
      const people = {
        search: (query: string) => (queries.push(query), of([{ ...ben, online: true }])),
      } as unknown as PeopleApi;
      const searched = (query: string) => MembersPanelActions.peopleSearched({ room: 'secret', query });
      const actions$ = hot('a 50ms b 300ms c', { a: searched('B'), b: searched('Be '), c: searched('') });
      expectObservable(searchPeople(actions$, people, scheduler)).toBe('251ms f', {
        f: RoomAdminApiActions.peopleFound({ room: 'secret', query: 'Be ', people: [{ ...ben, online: true }] }),
      });
      scheduler.flush();
      expect(queries).toEqual(['Be']);
    });
  });
});

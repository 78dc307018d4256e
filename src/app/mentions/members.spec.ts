import { BehaviorSubject, type Observable, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { MemberList, Room } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { MembersApiActions, MentionListActions } from './members.actions';
import { lookUpMentioned, searchMembers } from './members.effects';
import { membersFeature, type MembersState } from './members.feature';
import type { MembersApi } from './members-api';
import { selectMentionNames, selectMentionOptions, selectUnknownMentioned } from './mention.selectors';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };
const bea = { id: 'u-bea', name: 'beatrix' };
const cat = { id: 'u-cat', name: 'Cat' };

const found = (state: MembersState, query: string, members: (typeof ann)[], complete = true) =>
  membersFeature.reducer(state, MembersApiActions.membersFound({ room: 'team', query, members, complete }));

describe('members of a room', () => {
  it('adds what each answer finds, and a complete answer for a prefix drops who it no longer lists', () => {
    let state = found(membersFeature.reducer(undefined, { type: 'init' }), '', [ann, ben, bea, cat]);
    // Ben left: a complete answer for "b" lists only Beatrix; Ann and Cat are not under "b".
    state = found(state, 'b', [bea]);
    expect(Object.keys(state.byRoom['team'] ?? {}).sort()).toEqual(['u-ann', 'u-bea', 'u-cat']);
    // A partial answer (more pages) proves nothing about who is missing.
    state = found(state, '', [ben], false);
    expect(Object.keys(state.byRoom['team'] ?? {}).sort()).toEqual(['u-ann', 'u-bea', 'u-ben', 'u-cat']);
    // Someone who joined later and speaks is a member from then on (rooms not fetched stay unknown).
    const spoke = (room: string, sender: typeof ann) =>
      ChatHubActions.messageReceived({ message: { id: 'm', room, text: 'hi', sender, sentAt: '', seq: 1 } });
    state = membersFeature.reducer(state, spoke('team', { id: 'u-dee', name: 'Dee' }));
    expect(state.byRoom['team']?.['u-dee']).toEqual({ id: 'u-dee', name: 'Dee' });
    expect(membersFeature.reducer(state, spoke('elsewhere', ben)).byRoom['elsewhere']).toBeUndefined();
    expect(membersFeature.reducer(state, SessionApiActions.signedIn({ user: ann })).byRoom).toEqual({});
  });

  it('offers the room’s members in name order without the user, @room where allowed, and a DM’s other person', () => {
    const byRoom = { team: { 'u-cat': cat, 'u-ann': ann, 'u-bea': bea, 'u-ben': ben } };
    const options = selectMentionOptions.projector('team', {}, byRoom, ann, {}).map((o) => o.name);
    expect(options).toEqual(['beatrix', 'Ben', 'Cat', 'room']);
    const dm: Room = { name: 'dm-1', kind: 'dm', title: 'Ben', joined: true, members: [ann, ben] };
    expect(selectMentionOptions.projector('dm-1', { 'dm-1': dm }, byRoom, ann, {}).map((o) => o.name)).toEqual([
      'Ben',
      'room',
    ]);
    expect(selectMentionOptions.projector('other', {}, byRoom, ann, {}).map((o) => o.name)).toEqual(['room']);
    // A rename shows at once, with the face the people list knows.
    const users = { 'u-ben': { id: 'u-ben', name: 'Benjamin', online: true, avatar: 'v2' } };
    expect(selectMentionOptions.projector('team', {}, byRoom, ann, users)).toContainEqual({
      id: 'u-ben',
      name: 'Benjamin',
      avatar: 'v2',
    });
  });
});

describe('searchMembers', () => {
  it('fetches a room’s members when it opens once signed in, then searches as the user types, after a pause, never for a DM', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, hot, expectObservable }) => {
      const calls: string[] = [];
      const api = {
        search: (room: string, query: string): Observable<MemberList> => {
          calls.push(`${room}:${query}@${scheduler.now()}`);
          if (query === 'x') return throwError(() => new Error('offline'));
          return cold('10ms a|', { a: query === '' ? { members: [ann], cursor: 'more' } : { members: [ben] } });
        },
      } as unknown as MembersApi;
      const user$ = new BehaviorSubject<typeof ann | null>(null);
      const room$ = new BehaviorSubject('general');
      const store = {
        select: (selector: unknown) => (selector === sessionFeature.selectUser ? user$ : room$),
      };
      // Signed in at 5; typing "@", "@b", "@be" quickly at 100-120 is one search; a DM at 300 asks
      // nothing; "team" opens at 600; an offline search at 500 (sent at 650) answers nothing.
      const actions$ = hot('100ms a 9ms b 9ms c 179ms d 199ms e', {
        a: MentionListActions.searched({ room: 'general', query: '' }),
        b: MentionListActions.searched({ room: 'general', query: 'b' }),
        c: MentionListActions.searched({ room: 'general', query: 'be' }),
        d: MentionListActions.searched({ room: 'dm-1', query: 'b' }),
        e: MentionListActions.searched({ room: 'general', query: 'x' }),
      });
      scheduler.schedule(() => user$.next(ann), 5);
      scheduler.schedule(() => room$.next('team'), 600);
      expectObservable(searchMembers(actions$ as never, store as never, api, scheduler)).toBe(
        '15ms a 264ms b 329ms c',
        {
          a: MembersApiActions.membersFound({ room: 'general', query: '', members: [ann], complete: false }),
          b: MembersApiActions.membersFound({ room: 'general', query: 'be', members: [ben], complete: true }),
          c: MembersApiActions.membersFound({ room: 'team', query: '', members: [ann], complete: false }),
        },
      );
      scheduler.flush();
      expect(calls).toEqual(['general:@5', 'general:be@270', 'team:@600', 'general:x@650']);
    });
  });
});

describe('lookUpMentioned', () => {
  it('asks once, together, for the names of people mentioned that no list showed, and again only after a failure', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, hot, expectObservable }) => {
      const calls: string[] = [];
      const api = {
        people: (ids: readonly string[]): Observable<readonly (typeof ann)[]> => {
          calls.push(`${ids.join(',')}@${scheduler.now()}`);
          if (calls.length === 2) return throwError(() => new Error('offline'));
          return cold('5ms a|', { a: ids.includes('u-ann') ? [ann] : [] });
        },
      } as unknown as MembersApi;
      // A history page (two updates close together), the same again later, a new id whose lookup
      // fails, and that id once more when the messages next change.
      const unknown$ = hot('a 9ms b 299ms c 299ms d 299ms e', {
        a: ['u-ann'],
        b: ['u-ann', 'u-ghost'],
        c: ['u-ann', 'u-ghost'],
        d: ['u-ghost', 'u-new'],
        e: ['u-ghost', 'u-new'],
      });
      const store = { select: () => unknown$ };
      expectObservable(lookUpMentioned(store as never, api, scheduler)).toBe('115ms a 899ms b', {
        a: MembersApiActions.peopleFound({ people: [ann] }),
        b: MembersApiActions.peopleFound({ people: [] }),
      });
      scheduler.flush();
      expect(calls).toEqual(['u-ann,u-ghost@110', 'u-new@710', 'u-new@1010']);
    });
  });

  it('finds mentioned ids with no known name, and knows the names looked up', () => {
    const messages = [{ mentions: ['u-ann', 'u-ghost'] }, { mentions: ['u-ghost'] }, {}] as unknown as Parameters<
      typeof selectUnknownMentioned.projector
    >[0];
    expect(selectUnknownMentioned.projector(messages, { 'u-ann': 'Ann' })).toEqual(['u-ghost']);
    expect(selectMentionNames.projector({}, {}, {}, { 'u-ghost': { id: 'u-ghost', name: 'Gus' } }, ann)).toEqual({
      'u-ghost': 'Gus',
      'u-ann': 'Ann',
    });
  });
});

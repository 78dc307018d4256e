import type { Profile } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { ProfileApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { directMessageView } from '../rooms/direct-message-views';
import { StatusClockActions, UsersApiActions } from './people.actions';
import { presenceOf, usersFeature, type UsersState } from './users.feature';

const all = (state: UsersState) => state.ids.map((id) => state.entities[id]!);

describe('users reducer', () => {
  it('keeps presence current from presence events, online first', () => {
    let state = usersFeature.reducer(
      undefined,
      UsersApiActions.usersLoaded({
        users: [
          { id: 'a', name: 'Ann', online: false },
          { id: 'b', name: 'Ben', online: true },
        ],
      }),
    );
    state = usersFeature.reducer(
      state,
      ChatHubActions.presenceChanged({ presence: { user: { id: 'a', name: 'Ann' }, online: true } }),
    );
    state = usersFeature.reducer(
      state,
      ChatHubActions.presenceChanged({ presence: { user: { id: 'c', name: 'Cat' }, online: false } }),
    );
    expect(usersFeature.selectOtherUsers.projector(all(state), { id: 'b', name: 'Ben' })).toEqual([
      { id: 'a', name: 'Ann', online: true, presence: 'active' },
      { id: 'c', name: 'Cat', online: false, presence: 'offline' },
    ]);
  });

  it('takes the presence state an event names (away, do not disturb) and keeps the avatar and status', () => {
    let state = usersFeature.reducer(
      undefined,
      UsersApiActions.usersLoaded({
        users: [{ id: 'a', name: 'Ann', online: true, presence: 'active', avatar: 'v1', status: { text: 'lunch' } }],
      }),
    );
    state = usersFeature.reducer(
      state,
      ChatHubActions.presenceChanged({ presence: { user: { id: 'a', name: 'Ann' }, online: true, state: 'away' } }),
    );
    expect(state.entities['a']).toEqual({
      id: 'a',
      name: 'Ann',
      online: true,
      presence: 'away',
      avatar: 'v1',
      status: { text: 'lunch' },
    });
    expect(presenceOf(state.entities['a']!)).toBe('away');
    expect(presenceOf({ online: true })).toBe('active');
    expect(presenceOf({ online: false })).toBe('offline');
  });

  it('a profile change renames, sets or clears the avatar and status, for the list and the signed-in name', () => {
    let state = usersFeature.reducer(
      undefined,
      UsersApiActions.usersLoaded({
        users: [{ id: 'a', name: 'Ann', online: true, presence: 'active', avatar: 'v1', status: { text: 'lunch' } }],
      }),
    );
    const renamed: Profile = { id: 'a', name: 'Annie', presence: 'dnd', about: 'Design' };
    state = usersFeature.reducer(state, ChatHubActions.profileChanged({ profile: renamed }));
    // Absent avatar and status: gone (the event is the whole card).
    expect(state.entities['a']).toEqual({
      id: 'a',
      name: 'Annie',
      online: true,
      presence: 'dnd',
      avatar: undefined,
      status: undefined,
    });
    const withAvatar: Profile = { id: 'a', name: 'Annie', presence: 'active', avatar: 'v2', status: { text: 'x' } };
    state = usersFeature.reducer(state, ProfileApiActions.profileSaved({ profile: withAvatar }));
    expect(state.entities['a']).toMatchObject({ avatar: 'v2', status: { text: 'x' } });
    // Someone the first page did not hold is added.
    state = usersFeature.reducer(
      state,
      ChatHubActions.profileChanged({ profile: { id: 'z', name: 'Zed', presence: 'offline' } }),
    );
    expect(state.entities['z']).toMatchObject({ name: 'Zed', online: false });

    let session = sessionFeature.reducer(undefined, SessionApiActions.signedIn({ user: { id: 'a', name: 'Ann' } }));
    session = sessionFeature.reducer(session, ChatHubActions.profileChanged({ profile: renamed }));
    expect(session.user).toEqual({ id: 'a', name: 'Annie' });
    const other = sessionFeature.reducer(session, ChatHubActions.profileChanged({ profile: { ...renamed, id: 'b' } }));
    expect(other).toBe(session);
  });

  it('statuses end at their expiry; the soonest expiry is what the clock waits for', () => {
    const state = usersFeature.reducer(
      undefined,
      UsersApiActions.usersLoaded({
        users: [
          { id: 'a', name: 'Ann', online: true, status: { text: 'brb', expiresAt: '2026-12-07T10:00:00.000Z' } },
          { id: 'b', name: 'Ben', online: true, status: { text: 'away', expiresAt: '2026-12-07T11:00:00.000Z' } },
          { id: 'c', name: 'Cat', online: true, status: { text: 'forever' } },
        ],
      }),
    );
    expect(usersFeature.selectNextStatusExpiry.projector(all(state))).toBe(Date.parse('2026-12-07T10:00:00.000Z'));
    const later = usersFeature.reducer(
      state,
      StatusClockActions.statusesExpired({ now: Date.parse('2026-12-07T10:00:00.000Z') }),
    );
    expect(later.entities['a']?.status).toBeUndefined();
    expect(later.entities['b']?.status?.text).toBe('away');
    expect(later.entities['c']?.status?.text).toBe('forever');
    expect(usersFeature.selectNextStatusExpiry.projector(all(later))).toBe(Date.parse('2026-12-07T11:00:00.000Z'));
    // Nothing due: the same state.
    expect(usersFeature.reducer(later, StatusClockActions.statusesExpired({ now: 0 }))).toBe(later);
  });
});

describe('direct message view', () => {
  const me = { id: 'a', name: 'Ann' };
  it('titles a DM with the other person’s current name, face and presence; a group with current names', () => {
    const users = {
      b: { id: 'b', name: 'Benjamin', online: true, presence: 'away' as const, avatar: 'v3' },
    };
    const dm = {
      name: 'dm-1',
      kind: 'dm' as const,
      title: 'Ben',
      joined: true,
      members: [me, { id: 'b', name: 'Ben' }],
    };
    expect(directMessageView(dm, users, me)).toMatchObject({
      title: 'Benjamin',
      other: { id: 'b', name: 'Benjamin', avatar: 'v3' },
      presence: 'away',
    });
    const group = { ...dm, members: [me, { id: 'b', name: 'Ben' }, { id: 'c', name: 'Cat' }] };
    const view = directMessageView(group, users, me);
    expect(view.title).toBe('Benjamin, Cat');
    expect(view.presence).toBeUndefined();
    // Someone the list does not know yet: offline until an event says otherwise.
    expect(directMessageView({ ...dm, members: [me, { id: 'd', name: 'Dee' }] }, users, me).presence).toBe('offline');
  });
});

import { createEntityAdapter, type EntityState, type Update } from '@ngrx/entity';
import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import type { PresenceState, Profile, User } from '../../../contract';
import { ProfileApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { StatusClockActions, UsersApiActions } from './people.actions';

export type UsersState = EntityState<User>;

export const usersAdapter = createEntityAdapter<User>({
  sortComparer: (a, b) =>
    Number(b.online) - Number(a.online) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
});

/** A person's presence state; a server without states says only online or not. */
export function presenceOf(user: Pick<User, 'online' | 'presence'>): PresenceState {
  return user.presence ?? (user.online ? 'active' : 'offline');
}

/** A profile (event or answer) as the list keeps it: every field it carries replaces the old one, absent ones clear. */
function fromProfile({ id, name, avatar, status, presence }: Profile): User {
  return { id, name, online: presence !== 'offline', presence, avatar, status };
}

export const usersFeature = createFeature({
  name: 'users',
  reducer: createReducer(
    usersAdapter.getInitialState(),
    on(UsersApiActions.usersLoaded, (state, { users }): UsersState => usersAdapter.setAll([...users], state)),
    on(ChatHubActions.presenceChanged, (state, { presence: { user, online, state: presence } }): UsersState =>
      usersAdapter.upsertOne(
        { id: user.id, name: user.name, online, presence: presence ?? (online ? 'active' : 'offline') },
        state,
      ),
    ),
    on(ChatHubActions.profileChanged, ProfileApiActions.profileSaved, (state, { profile }): UsersState =>
      usersAdapter.upsertOne(fromProfile(profile), state),
    ),
    on(StatusClockActions.statusesExpired, (state, { now }): UsersState => {
      const updates: Update<User>[] = [];
      for (const user of Object.values(state.entities))
        if (user?.status?.expiresAt && Date.parse(user.status.expiresAt) <= now)
          updates.push({ id: user.id, changes: { status: undefined } });
      return updates.length > 0 ? usersAdapter.updateMany(updates, state) : state;
    }),
  ),
  extraSelectors: ({ selectUsersState }) => {
    const { selectAll } = usersAdapter.getSelectors(selectUsersState);
    return {
      /** Everyone but the signed-in user, online first. */
      selectOtherUsers: createSelector(selectAll, sessionFeature.selectUser, (users, me) =>
        users.filter((user) => user.id !== me?.id),
      ),
      /** When the soonest status ends (ms since the epoch), or null when none will. */
      selectNextStatusExpiry: createSelector(selectAll, (users) => {
        let next: number | null = null;
        for (const user of users) {
          const at = user.status?.expiresAt ? Date.parse(user.status.expiresAt) : NaN;
          if (!Number.isNaN(at) && (next === null || at < next)) next = at;
        }
        return next;
      }),
    };
  },
});

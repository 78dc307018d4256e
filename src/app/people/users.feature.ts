import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import type { User } from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { UsersApiActions } from './people.actions';

export type UsersState = EntityState<User>;

export const usersAdapter = createEntityAdapter<User>({
  sortComparer: (a, b) =>
    Number(b.online) - Number(a.online) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
});

export const usersFeature = createFeature({
  name: 'users',
  reducer: createReducer(
    usersAdapter.getInitialState(),
    on(UsersApiActions.usersLoaded, (state, { users }): UsersState => usersAdapter.setAll([...users], state)),
    on(ChatHubActions.presenceChanged, (state, { presence: { user, online } }): UsersState =>
      usersAdapter.upsertOne({ id: user.id, name: user.name, online }, state),
    ),
  ),
  extraSelectors: ({ selectUsersState }) => {
    const { selectAll } = usersAdapter.getSelectors(selectUsersState);
    return {
      /** Everyone but the signed-in user, online first. */
      selectOtherUsers: createSelector(selectAll, sessionFeature.selectUser, (users, me) =>
        users.filter((user) => user.id !== me?.id),
      ),
    };
  },
});

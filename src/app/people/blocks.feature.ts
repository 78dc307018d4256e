import { createFeature, createFeatureSelector, createReducer, createSelector, on } from '@ngrx/store';

import type { UserRef } from '../../../contract';
import { BlocksApiActions, PeopleListActions } from './people.actions';

/** Whom the signed-in user blocked: changed here at once, put back when the server refuses. */
export interface BlocksState {
  readonly users: readonly UserRef[];
  readonly error: string | null;
}

const initialState: BlocksState = { users: [], error: null };

const without = (users: readonly UserRef[], id: string) => users.filter((user) => user.id !== id);
const withUser = (users: readonly UserRef[], user: UserRef) => [user, ...without(users, user.id)];

export const blocksFeature = createFeature({
  name: 'blocks',
  reducer: createReducer(
    initialState,
    on(BlocksApiActions.blocksLoaded, (_state, { users }): BlocksState => ({ users, error: null })),
    on(PeopleListActions.blockClicked, (state, { user }): BlocksState => ({
      users: withUser(state.users, user),
      error: null,
    })),
    on(PeopleListActions.unblockClicked, (state, { user }): BlocksState => ({
      users: without(state.users, user.id),
      error: null,
    })),
    on(BlocksApiActions.blockFailed, (state, { user, error }): BlocksState => ({
      users: without(state.users, user.id),
      error,
    })),
    on(BlocksApiActions.unblockFailed, (state, { user, error }): BlocksState => ({
      users: withUser(state.users, user),
      error,
    })),
  ),
});

/**
 * Ids of the people blocked, for lookups: nobody while the feature is not there (the message list
 * and notifications ask it, and run in tests and screens without it).
 */
export const selectBlockedIds = createSelector(
  createFeatureSelector<BlocksState | undefined>(blocksFeature.name),
  (state): ReadonlySet<string> => new Set((state?.users ?? []).map((user) => user.id)),
);

/** The blocked set after one of the actions that change it (the read state keeps one too, for its counts). */
export function blockedAfter(
  blocked: Readonly<Record<string, true>>,
  action: { type: string; users?: readonly UserRef[]; user?: UserRef },
): Readonly<Record<string, true>> {
  if (action.users) return Object.fromEntries(action.users.map((user) => [user.id, true] as const));
  const id = action.user?.id;
  if (id === undefined) return blocked;
  const add =
    action.type === PeopleListActions.blockClicked.type || action.type === BlocksApiActions.unblockFailed.type;
  const { [id]: _gone, ...rest } = blocked;
  return add ? { ...rest, [id]: true } : rest;
}

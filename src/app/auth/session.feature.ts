import { createFeature, createReducer, on } from '@ngrx/store';

import type { UserRef } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { ProfileApiActions, SessionApiActions, SignInPageActions } from './session.actions';

export type SessionStatus = 'loading' | 'signedIn' | 'signedOut' | 'unavailable';

export interface SessionState {
  readonly status: SessionStatus;
  readonly user: UserRef | null;
  readonly error: string | null;
}

const initialState: SessionState = { status: 'loading', user: null, error: null };

export const sessionFeature = createFeature({
  name: 'session',
  reducer: createReducer(
    initialState,
    on(SignInPageActions.retryClicked, (state): SessionState => ({ ...state, status: 'loading', error: null })),
    on(SessionApiActions.signedIn, (_state, { user }): SessionState => ({ status: 'signedIn', user, error: null })),
    on(SessionApiActions.signedOut, (): SessionState => ({ status: 'signedOut', user: null, error: null })),
    on(SessionApiActions.loadFailed, (state, { error }): SessionState => ({ ...state, status: 'unavailable', error })),
    // A rename (in this tab, another tab or device) shows at once wherever the signed-in name does.
    on(
      ChatHubActions.profileChanged,
      ProfileApiActions.profileSaved,
      (state, { profile: { id, name } }): SessionState =>
        state.user?.id === id && state.user.name !== name ? { ...state, user: { id, name } } : state,
    ),
  ),
});

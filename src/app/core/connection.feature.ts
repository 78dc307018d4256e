import { createFeature, createReducer, on } from '@ngrx/store';

import type { HubState } from './chat-hub';
import { ChatHubActions } from './hub.actions';

export interface ConnectionState {
  readonly state: HubState;
}

const initialState: ConnectionState = { state: 'connecting' };

export const connectionFeature = createFeature({
  name: 'connection',
  reducer: createReducer(
    initialState,
    on(ChatHubActions.stateChanged, (state, { state: hubState }): ConnectionState => ({ ...state, state: hubState })),
  ),
});

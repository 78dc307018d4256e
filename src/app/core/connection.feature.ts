import { createFeature, createReducer, on } from '@ngrx/store';

import { BrowserActions } from './browser.actions';
import type { HubState } from './chat-hub';
import { ChatHubActions } from './hub.actions';

export interface ConnectionState {
  readonly state: HubState;
  /** What the browser last said about the network (`online`/`offline` events). */
  readonly online: boolean;
}

const initialState: ConnectionState = { state: 'connecting', online: true };

export const connectionFeature = createFeature({
  name: 'connection',
  reducer: createReducer(
    initialState,
    on(ChatHubActions.stateChanged, (state, { state: hubState }): ConnectionState => ({ ...state, state: hubState })),
    on(BrowserActions.onlineChanged, (state, { online }): ConnectionState => ({ ...state, online })),
  ),
});

import { ChatHubActions } from '../core/hub.actions';
import { UsersApiActions } from './people.actions';
import { usersFeature } from './users.feature';

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
    const users = state.ids.map((id) => state.entities[id]!);
    expect(usersFeature.selectOtherUsers.projector(users, { id: 'b', name: 'Ben' })).toEqual([
      { id: 'a', name: 'Ann', online: true },
      { id: 'c', name: 'Cat', online: false },
    ]);
  });
});

import { ChatHubActions } from '../core/hub.actions';
import { membersPanelFeature, type MembersPanelState } from './members-panel.feature';
import { MembersPanelActions, RoomAdminApiActions } from './room-admin.actions';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };
const cat = { id: 'u-cat', name: 'Cat' };
const reducer = membersPanelFeature.reducer;

function reduce(...actions: Parameters<typeof reducer>[1][]): MembersPanelState {
  return actions.reduce((state, action) => reducer(state, action), reducer(undefined, { type: '@init' }));
}

const opened = reduce(
  MembersPanelActions.opened({ room: 'secret', manage: true }),
  RoomAdminApiActions.membersLoaded({
    room: 'secret',
    members: [
      { ...ann, role: 'owner' },
      { ...ben, role: 'member' },
    ],
  }),
  RoomAdminApiActions.bansLoaded({ room: 'secret', bans: [] }),
);

describe('members panel reducer', () => {
  it("holds one room's members; answers about another room change nothing", () => {
    expect(opened.loaded).toBe(true);
    expect(Object.keys(opened.members)).toEqual(['u-ann', 'u-ben']);
    const late = reducer(opened, RoomAdminApiActions.membersLoaded({ room: 'other', members: [cat] }));
    expect(late).toBe(opened);
    // Opening another room starts afresh; the same room again keeps what was there.
    expect(reducer(opened, MembersPanelActions.opened({ room: 'other', manage: false })).members).toEqual({});
    expect(reducer(opened, MembersPanelActions.opened({ room: 'secret', manage: true }))).toBe(opened);
  });

  it('marks a change under way, applies the answer, and keeps a refusal where it was asked for until tried again', () => {
    let state = reducer(opened, MembersPanelActions.removeConfirmed({ room: 'secret', user: ben, ban: true }));
    expect(state.pending).toEqual(['u-ben']);
    state = reducer(
      state,
      RoomAdminApiActions.changeFailed({ room: 'secret', target: 'u-ben', error: 'Only admins may ban' }),
    );
    expect(state.pending).toEqual([]);
    expect(state.errors).toEqual({ 'u-ben': 'Only admins may ban' });
    expect(state.members['u-ben']).toBeDefined();
    state = reducer(state, MembersPanelActions.removeConfirmed({ room: 'secret', user: ben, ban: true }));
    expect(state.errors).toEqual({});
    state = reducer(state, RoomAdminApiActions.memberRemoved({ room: 'secret', user: ben, ban: true }));
    expect(state.members['u-ben']).toBeUndefined();
    expect(state.bans).toEqual([ben]);
    state = reducer(state, RoomAdminApiActions.unbanned({ room: 'secret', userId: 'u-ben' }));
    expect(state.bans).toEqual([]);
  });

  it('adds a person found by the search as a member, and changes roles', () => {
    let state = reducer(opened, MembersPanelActions.peopleSearched({ room: 'secret', query: 'C' }));
    state = reducer(
      state,
      RoomAdminApiActions.peopleFound({ room: 'secret', query: 'C', people: [{ ...cat, online: true }] }),
    );
    expect(state.found).toEqual([{ ...cat, online: true }]);
    // An answer to an older query is dropped.
    expect(
      reducer(state, RoomAdminApiActions.peopleFound({ room: 'secret', query: '', people: [] })).found,
    ).toHaveLength(1);
    state = reducer(state, MembersPanelActions.addClicked({ room: 'secret', user: cat }));
    expect(state.pending).toEqual(['add']);
    state = reducer(state, RoomAdminApiActions.memberAdded({ room: 'secret', user: cat }));
    expect(state.members['u-cat']).toEqual({ ...cat, role: 'member' });
    state = reducer(state, RoomAdminApiActions.roleChanged({ room: 'secret', userId: 'u-cat', role: 'admin' }));
    expect(state.members['u-cat']?.role).toBe('admin');
    expect(reducer(state, MembersPanelActions.peopleSearched({ room: 'secret', query: ' ' })).found).toEqual([]);
  });

  it("follows everyone's changes live: joins, roles, removals and bans", () => {
    let state = reducer(
      opened,
      ChatHubActions.memberChanged({ change: { room: 'secret', user: cat, role: 'member' } }),
    );
    state = reducer(state, ChatHubActions.memberChanged({ change: { room: 'secret', user: ben, role: 'admin' } }));
    expect(state.members).toEqual({
      'u-ann': { ...ann, role: 'owner' },
      'u-ben': { ...ben, role: 'admin' },
      'u-cat': { ...cat, role: 'member' },
    });
    state = reducer(state, ChatHubActions.memberChanged({ change: { room: 'secret', user: cat, gone: 'banned' } }));
    state = reducer(state, ChatHubActions.memberChanged({ change: { room: 'secret', user: ben, gone: 'left' } }));
    expect(Object.keys(state.members)).toEqual(['u-ann']);
    expect(state.bans).toEqual([cat]);
    expect(reducer(state, ChatHubActions.memberChanged({ change: { room: 'other', user: cat } }))).toBe(state);
  });

  it('says the settings were saved, or why not', () => {
    let state = reducer(opened, MembersPanelActions.settingsSaved({ room: 'secret', changes: { title: 'Launch' } }));
    expect(state.pending).toEqual(['settings']);
    state = reducer(state, RoomAdminApiActions.roomUpdated({ room: 'secret', changes: { title: 'Launch' } }));
    expect(state.saved).toBe(true);
    state = reducer(state, MembersPanelActions.settingsSaved({ room: 'secret', changes: { topic: 'x' } }));
    expect(state.saved).toBe(false);
    state = reducer(state, RoomAdminApiActions.changeFailed({ room: 'secret', target: 'settings', error: 'No' }));
    expect(state.errors).toEqual({ settings: 'No' });
  });
});

import type { Room } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { ChatPageActions } from '../messages/chat-page.actions';
import { PeopleListActions } from '../people/people.actions';
import { RoomAccessActions, RoomsApiActions } from './rooms.actions';
import { roomsFeature } from './rooms.feature';

const room = (name: string, joined = true, kind: Room['kind'] = 'room', title = name): Room => ({
  name,
  kind,
  title,
  joined,
});

describe('rooms reducer', () => {
  const loaded = roomsFeature.reducer(
    undefined,
    RoomsApiActions.roomsLoaded({
      rooms: [room('zoo'), room('general'), room('art', false), room('dm-1', true, 'dm', 'Ben')],
    }),
  );
  const all = Object.values(loaded.entities) as Room[];
  const names = (rooms: readonly Room[]) => rooms.map((r) => r.name);

  it('splits rooms joined, rooms to join and direct messages, with general first', () => {
    const sorted = loaded.ids.map((id) => loaded.entities[id]!);
    expect(names(roomsFeature.selectJoinedRooms.projector(sorted))).toEqual(['general', 'zoo']);
    expect(names(roomsFeature.selectOtherRooms.projector(sorted))).toEqual(['art']);
    expect(names(roomsFeature.selectDirectMessages.projector(sorted))).toEqual(['dm-1']);
    expect(all).toHaveLength(4);
  });

  it('says a direct message is being opened from the click until the server answers or refuses', () => {
    const opening = roomsFeature.reducer(loaded, PeopleListActions.directMessageClicked({ userId: 'u-ben' }));
    expect(opening.openingDirectMessage).toBe(true);
    const opened = roomsFeature.reducer(
      opening,
      RoomsApiActions.directMessageOpened({ room: room('dm-2', true, 'dm', 'Ben') }),
    );
    expect(opened.openingDirectMessage).toBe(false);
    expect(opened.entities['dm-2']?.kind).toBe('dm');
    const refused = roomsFeature.reducer(opening, RoomsApiActions.roomChangeFailed({ error: 'No such person' }));
    expect(refused.openingDirectMessage).toBe(false);
    // A group conversation the same way, and a new try clears the last refusal.
    const group = roomsFeature.reducer(refused, PeopleListActions.groupSubmitted({ userIds: ['u-ben', 'u-cat'] }));
    expect([group.openingDirectMessage, group.error]).toEqual([true, null]);
  });

  it('adds a created or joined room, and marks a left room as not joined', () => {
    const joined = roomsFeature.reducer(loaded, RoomsApiActions.roomJoined({ room: room('art') }));
    expect(joined.entities['art']?.joined).toBe(true);
    const left = roomsFeature.reducer(joined, RoomsApiActions.roomLeft({ room: 'art' }));
    expect(left.entities['art']?.joined).toBe(false);
    const failed = roomsFeature.reducer(left, RoomsApiActions.roomChangeFailed({ error: 'A room named art exists' }));
    expect(failed.error).toBe('A room named art exists');
  });

  it("lists someone else's new room as one to join, without downgrading the creator's own copy", () => {
    const announced = roomsFeature.reducer(loaded, ChatHubActions.roomCreated({ room: room('films', false) }));
    expect(announced.entities['films']?.joined).toBe(false);
    const mine = roomsFeature.reducer(loaded, RoomsApiActions.roomCreated({ room: room('films') }));
    const echoed = roomsFeature.reducer(mine, ChatHubActions.roomCreated({ room: room('films', false) }));
    expect(echoed.entities['films']?.joined).toBe(true);
    // And when the announcement wins the race, the creator's answer still marks it joined.
    const raced = roomsFeature.reducer(announced, RoomsApiActions.roomCreated({ room: room('films') }));
    expect(raced.entities['films']?.joined).toBe(true);
  });

  const secret: Room = {
    name: 'secret',
    kind: 'room',
    title: 'Launch plans',
    joined: true,
    private: true,
    role: 'owner',
  };
  const lost = (room: string, reason: 'left' | 'removed' | 'banned', open = false) =>
    RoomAccessActions.roomLost({ room, title: room, reason, open });

  it('lists a room the user was added to at once', () => {
    const added = roomsFeature.reducer(
      loaded,
      ChatHubActions.membershipChanged({
        membership: { name: 'secret', room: { ...secret, joined: false, role: 'member' } },
      }),
    );
    expect(added.entities['secret']).toEqual({ ...secret, role: 'member' });
    const sorted = added.ids.map((id) => added.entities[id]!);
    expect(names(roomsFeature.selectJoinedRooms.projector(sorted))).toContain('secret');
    // An event without a room (the user is out of one) is the loseRoom effect's to read.
    expect(
      roomsFeature.reducer(
        added,
        ChatHubActions.membershipChanged({ membership: { name: 'secret', removed: 'removed' } }),
      ),
    ).toBe(added);
  });

  it('drops a private room the user lost, keeps a public one to join again unless banned, and says so only for the open room', () => {
    const withSecret = roomsFeature.reducer(loaded, RoomsApiActions.roomJoined({ room: secret }));
    const removed = roomsFeature.reducer(withSecret, lost('secret', 'removed', true));
    expect(removed.entities['secret']).toBeUndefined();
    expect(removed.lost).toEqual({ room: 'secret', title: 'secret', reason: 'removed' });
    const publicRemoved = roomsFeature.reducer(loaded, lost('zoo', 'removed'));
    expect(publicRemoved.entities['zoo']).toMatchObject({ joined: false, moderator: false });
    expect(publicRemoved.entities['zoo']?.role).toBeUndefined();
    expect(publicRemoved.lost).toBeNull();
    expect(roomsFeature.reducer(loaded, lost('zoo', 'banned')).entities['zoo']).toBeUndefined();
    // Leaving a private room in this tab takes it out too: the user can no longer see it.
    expect(
      roomsFeature.reducer(withSecret, RoomsApiActions.roomLeft({ room: 'secret' })).entities['secret'],
    ).toBeUndefined();
    // The notice stays until the user goes somewhere or dismisses it.
    expect(roomsFeature.reducer(removed, ChatPageActions.roomSelected({ room: 'zoo' })).lost).toBeNull();
    expect(roomsFeature.reducer(removed, RoomAccessActions.noticeDismissed()).lost).toBeNull();
  });

  it('follows title, topic and archiving, and lists archived rooms apart', () => {
    let state = roomsFeature.reducer(
      loaded,
      ChatHubActions.roomChanged({
        change: { name: 'zoo', title: 'The zoo', topic: 'Animals', archived: true, membersMayAdd: false },
      }),
    );
    expect(state.entities['zoo']).toMatchObject({
      title: 'The zoo',
      topic: 'Animals',
      archived: true,
      membersMayAdd: false,
    });
    const sorted = () => state.ids.map((id) => state.entities[id]!);
    expect(names(roomsFeature.selectArchivedRooms.projector(sorted()))).toEqual(['zoo']);
    expect(names(roomsFeature.selectJoinedRooms.projector(sorted()))).toEqual(['general']);
    // The event says the whole state: no topic and not archived clears both.
    state = roomsFeature.reducer(state, ChatHubActions.roomChanged({ change: { name: 'zoo', title: 'The zoo' } }));
    expect(state.entities['zoo']).toMatchObject({ topic: undefined, archived: false, membersMayAdd: undefined });
    // Rooms the user cannot see are not created by an event.
    expect(roomsFeature.reducer(state, ChatHubActions.roomChanged({ change: { name: 'other', title: 'x' } }))).toBe(
      state,
    );
  });
});

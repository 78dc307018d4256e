import type { Room } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { PeopleListActions } from '../people/people.actions';
import { RoomsApiActions } from './rooms.actions';
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
});

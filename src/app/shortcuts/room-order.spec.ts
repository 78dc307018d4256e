import type { Room } from '../../../contract';
import { neighbourRoom, switcherRooms, visited } from './room-order';

const room = (name: string, title = name, kind: Room['kind'] = 'room'): Room => ({ name, title, kind, joined: true });
const rooms = [room('general'), room('team-alpha'), room('random'), room('dm-1', 'Ben Alpher', 'dm')];
const counts = (unread: Record<string, number>) =>
  Object.fromEntries(Object.entries(unread).map(([name, n]) => [name, { unread: n, mentions: 0, muted: false }]));

describe('switcherRooms', () => {
  it('matches anywhere in the title or name, ignoring case', () => {
    expect(switcherRooms(rooms, 'ALPH', [], 'general').map((r) => r.name)).toEqual(['team-alpha', 'dm-1']);
    expect(switcherRooms(rooms, 'dom', [], 'general').map((r) => r.name)).toEqual(['random']);
  });

  it('lists recent rooms first, then the sidebar order, and the room on screen last', () => {
    expect(switcherRooms(rooms, '', ['random', 'general', 'dm-1'], 'general').map((r) => r.name)).toEqual([
      'random',
      'dm-1',
      'team-alpha',
      'general',
    ]);
  });
});

describe('neighbourRoom', () => {
  it('goes up and down the sidebar order, round the ends', () => {
    expect(neighbourRoom(rooms, 'general', 1)).toBe('team-alpha');
    expect(neighbourRoom(rooms, 'general', -1)).toBe('dm-1');
    expect(neighbourRoom(rooms, 'dm-1', 1)).toBe('general');
    expect(neighbourRoom([room('general')], 'general', 1)).toBeNull();
  });

  it('with counts, skips to rooms with unread messages only', () => {
    const unread = counts({ general: 0, 'team-alpha': 0, random: 2, 'dm-1': 1 });
    expect(neighbourRoom(rooms, 'general', 1, unread)).toBe('random');
    expect(neighbourRoom(rooms, 'general', -1, unread)).toBe('dm-1');
    expect(neighbourRoom(rooms, 'random', 1, counts({ random: 0 }))).toBeNull();
  });
});

describe('visited', () => {
  it('puts the room just opened first, once', () => {
    expect(visited(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    expect(visited(['a', 'b'], 'c', 2)).toEqual(['c', 'a']);
  });
});

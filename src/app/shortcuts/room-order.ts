import type { Room } from '../../../contract';
import type { RoomCounts } from '../read-state/read-state.feature';

/**
 * What the room switcher lists for `query`: the rooms and direct messages whose title (or name)
 * holds it anywhere, ignoring case; the ones opened most recently first (the room on screen
 * last), then the rest in the sidebar's order.
 */
export function switcherRooms(
  rooms: readonly Room[],
  query: string,
  recent: readonly string[],
  current: string,
): readonly Room[] {
  const wanted = query.trim().toLocaleLowerCase();
  const matching = rooms.filter(
    (room) => room.title.toLocaleLowerCase().includes(wanted) || room.name.toLocaleLowerCase().includes(wanted),
  );
  const rank = (room: Room): number => {
    if (room.name === current) return Number.MAX_SAFE_INTEGER;
    const index = recent.indexOf(room.name);
    return index < 0 ? recent.length : index;
  };
  // Array.prototype.sort is stable: rooms of equal rank keep the sidebar's order.
  return [...matching].sort((a, b) => rank(a) - rank(b));
}

/**
 * The room Alt+↑/↓ goes to from `current` (`step` -1 up, 1 down), in the sidebar's order and
 * round from one end to the other; with `counts`, only rooms with unread messages (Alt+Shift).
 * Null when there is none to go to.
 */
export function neighbourRoom(
  rooms: readonly Room[],
  current: string,
  step: 1 | -1,
  counts?: Readonly<Record<string, RoomCounts>>,
): string | null {
  const at = rooms.findIndex((room) => room.name === current);
  for (let i = 1; i <= rooms.length; i++) {
    const room = rooms[((((at < 0 && step < 0 ? 0 : at) + step * i) % rooms.length) + rooms.length) % rooms.length];
    if (room.name === current) continue;
    if (!counts || (counts[room.name]?.unread ?? 0) > 0) return room.name;
  }
  return null;
}

/** The most recently opened rooms, newest first, with `room` just opened. */
export function visited(recent: readonly string[], room: string, keep = 20): readonly string[] {
  return [room, ...recent.filter((name) => name !== room)].slice(0, keep);
}

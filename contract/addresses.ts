/**
 * The addresses a person opens (docs/behaviour.md, "Addresses"): `/r/{room}` for a room or direct
 * message, `/r/{room}/m/{message id}` for a message. The SPA routes them; the server writes them
 * into pushes and links.
 */
export function roomAddress(room: string): string {
  return `/r/${encodeURIComponent(room)}`;
}

export function messageAddress(room: string, id: string): string {
  return `${roomAddress(room)}/m/${encodeURIComponent(id)}`;
}

import { createSelector } from '@ngrx/store';

import type { PresenceState, Room, User, UserRef } from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { chatSelectors } from '../messages/chat.selectors';
import { presenceOf, usersFeature } from '../people/users.feature';
import { roomsFeature } from './rooms.feature';

/** A direct message as the sidebar and its header show it: titled with its people's current names. */
export interface DirectMessageView extends Room {
  /** A conversation with one other person: them, for their face and presence. */
  readonly other?: UserRef & { readonly avatar?: string };
  readonly presence?: PresenceState;
}

/**
 * A direct message titled with the other people's names as they are now (a rename shows at once;
 * the server's title was the names when the list was loaded), and with the one other person's face
 * and presence.
 */
export function directMessageView(
  room: Room,
  users: Readonly<Record<string, User | undefined>>,
  me: UserRef | null,
): DirectMessageView {
  const members = room.members;
  if (!members || members.length === 0) return room;
  const others = members.filter((member) => member.id !== me?.id);
  const title = (others.length > 0 ? others : members).map((m) => users[m.id]?.name ?? m.name).join(', ');
  if (others.length !== 1) return { ...room, title };
  const { id, name } = others[0];
  const user = users[id];
  return {
    ...room,
    title,
    other: { id, name: user?.name ?? name, avatar: user?.avatar },
    presence: user ? presenceOf(user) : 'offline',
  };
}

export const selectDirectMessageViews = createSelector(
  roomsFeature.selectDirectMessages,
  usersFeature.selectEntities,
  sessionFeature.selectUser,
  (rooms, users, me): readonly DirectMessageView[] => rooms.map((room) => directMessageView(room, users, me)),
);

/** The open conversation when it is a direct message, as {@link directMessageView} gives it; else null. */
export const selectOpenDirectMessage = createSelector(
  chatSelectors.selectActiveRoom,
  roomsFeature.selectRoomEntities,
  usersFeature.selectEntities,
  sessionFeature.selectUser,
  (name, rooms, users, me): DirectMessageView | null => {
    const room = rooms[name];
    return room?.kind === 'dm' ? directMessageView(room, users, me) : null;
  },
);

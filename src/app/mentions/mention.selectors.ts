import { createSelector } from '@ngrx/store';

import { allowsRoomMentions } from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { chatFeature } from '../chat/chat.feature';
import { usersFeature } from '../people/users.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import type { Mentionable } from './mention-text';

/**
 * Everyone's current name by id, as this tab knows them (the people list, the members of direct
 * messages, the signed-in user): what a mention `<@id>` is shown as. The message text renderer
 * resolves names with this.
 */
export const selectMentionNames = createSelector(
  usersFeature.selectEntities,
  roomsFeature.selectRoomEntities,
  sessionFeature.selectUser,
  (users, rooms, me): Readonly<Record<string, string>> => {
    const names: Record<string, string> = {};
    for (const room of Object.values(rooms)) for (const member of room?.members ?? []) names[member.id] = member.name;
    for (const user of Object.values(users)) if (user) names[user.id] = user.name;
    if (me) names[me.id] = me.name;
    return names;
  },
);

/** One choice of the composer's `@` list: a person, or `@room`. */
export interface MentionOption extends Mentionable {
  readonly room?: boolean;
}

/**
 * Whom the composer offers after `@` in the open room: the other person of a direct message; in
 * a room, the people Hubbub lists (the server keeps only the room's members), and `@room` where
 * the room allows it.
 */
export const selectMentionOptions = createSelector(
  chatFeature.selectActiveRoom,
  roomsFeature.selectRoomEntities,
  usersFeature.selectOtherUsers,
  sessionFeature.selectUser,
  (room, rooms, users, me): readonly MentionOption[] => {
    const members = rooms[room]?.members;
    const people: MentionOption[] = members
      ? members.filter((member) => member.id !== me?.id).map(({ id, name }) => ({ id, name }))
      : users.map(({ id, name }) => ({ id, name }));
    return allowsRoomMentions(room) ? [...people, { id: 'room', name: 'room', room: true }] : people;
  },
);

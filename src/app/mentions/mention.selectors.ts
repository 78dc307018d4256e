import { createSelector } from '@ngrx/store';

import { allowsRoomMentions } from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { chatSelectors } from '../messages/chat.selectors';
import { usersFeature } from '../people/users.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import { membersFeature } from './members.feature';
import type { Mentionable } from './mention-text';

/**
 * Everyone's current name by id, as this tab knows them (room members found, the members of
 * direct messages, the people list, the signed-in user; later ones win, as the fresher): what a
 * mention `<@id>` is shown as. The message text renderer resolves names with this.
 */
export const selectMentionNames = createSelector(
  usersFeature.selectEntities,
  roomsFeature.selectRoomEntities,
  membersFeature.selectByRoom,
  membersFeature.selectPeople,
  sessionFeature.selectUser,
  (users, rooms, found, people, me): Readonly<Record<string, string>> => {
    const names: Record<string, string> = {};
    for (const person of Object.values(people)) names[person.id] = person.name;
    for (const members of Object.values(found))
      for (const member of Object.values(members)) names[member.id] = member.name;
    for (const room of Object.values(rooms)) for (const member of room?.members ?? []) names[member.id] = member.name;
    for (const user of Object.values(users)) if (user) names[user.id] = user.name;
    if (me) names[me.id] = me.name;
    return names;
  },
);

/** Ids mentioned by messages this tab holds whose name it does not know: to look up. */
export const selectUnknownMentioned = createSelector(
  chatSelectors.selectAllMessages,
  selectMentionNames,
  (messages, names): readonly string[] => {
    const unknown = new Set<string>();
    for (const message of messages) for (const id of message.mentions ?? []) if (!(id in names)) unknown.add(id);
    return [...unknown].sort();
  },
);

/** One choice of the composer's `@` list: a person, or `@room`. */
export interface MentionOption extends Mentionable {
  readonly room?: boolean;
  /** The person's avatar version (`User.avatar`), for the face beside the name. */
  readonly avatar?: string;
}

/**
 * Whom the composer offers after `@` in the open room, the user left out: the other person of a
 * direct message; in a room, its members as the server listed them (members.effects.ts), in name
 * order; and `@room` where the room allows it.
 */
export const selectMentionOptions = createSelector(
  chatSelectors.selectActiveRoom,
  roomsFeature.selectRoomEntities,
  membersFeature.selectByRoom,
  sessionFeature.selectUser,
  usersFeature.selectEntities,
  (room, rooms, found, me, users): readonly MentionOption[] => {
    const members = rooms[room]?.members ?? Object.values(found[room] ?? {});
    const people: MentionOption[] = members
      .filter((member) => member.id !== me?.id)
      // Names as they are now (a rename shows at once), with the face the people list knows.
      .map(({ id, name }) => ({ id, name: users[id]?.name ?? name, avatar: users[id]?.avatar }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return allowsRoomMentions(room) ? [...people, { id: 'room', name: 'room', room: true }] : people;
  },
);

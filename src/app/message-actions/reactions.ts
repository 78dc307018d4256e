import { type Reaction, REACTION_PEOPLE_SHOWN, type UserRef } from '../../../contract';

/** The reactions with `user` (the viewer) added to or removed from `emoji`'s, shown before the server answers; a repeat changes nothing. */
export function toggleReaction(
  reactions: readonly Reaction[] = [],
  emoji: string,
  user: UserRef,
  add: boolean,
): readonly Reaction[] {
  const existing = reactions.find((reaction) => reaction.emoji === emoji);
  if (add === (existing?.mine ?? false)) return reactions;
  const me = { id: user.id, name: user.name };
  if (add) {
    if (!existing) return [...reactions, { emoji, count: 1, people: [me], mine: true }];
    const named = existing.people.some((person) => person.id === me.id);
    const people =
      named || existing.people.length >= REACTION_PEOPLE_SHOWN ? existing.people : [...existing.people, me];
    return reactions.map((reaction) =>
      reaction === existing ? { emoji, count: existing.count + 1, people, mine: true } : reaction,
    );
  }
  return reactions
    .map((reaction) =>
      reaction === existing
        ? {
            emoji,
            count: existing.count - 1,
            people: existing.people.filter((person) => person.id !== me.id),
            mine: false,
          }
        : reaction,
    )
    .filter((reaction) => reaction.count > 0);
}

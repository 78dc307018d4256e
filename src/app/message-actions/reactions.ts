import type { Reaction, UserRef } from '../../../contract';

/** The reactions with `user` added to or removed from `emoji`'s; a repeat changes nothing. */
export function toggleReaction(
  reactions: readonly Reaction[] = [],
  emoji: string,
  user: UserRef,
  add: boolean,
): readonly Reaction[] {
  const existing = reactions.find((reaction) => reaction.emoji === emoji);
  const mine = existing?.users.some((person) => person.id === user.id) ?? false;
  if (add === mine) return reactions;
  if (add) {
    const me = { id: user.id, name: user.name };
    return existing
      ? reactions.map((reaction) => (reaction === existing ? { emoji, users: [...reaction.users, me] } : reaction))
      : [...reactions, { emoji, users: [me] }];
  }
  return reactions
    .map((reaction) =>
      reaction === existing ? { emoji, users: reaction.users.filter((person) => person.id !== user.id) } : reaction,
    )
    .filter((reaction) => reaction.users.length > 0);
}

/** How server copies and deltas change a message's reactions as the viewer sees them. */
import type { Reaction, ReactionChangedEvent } from '../../../contract';

/**
 * The reactions after a `reactionChanged` delta: the emoji's count and people as the server says;
 * `mine` as the delta says when `byViewer` (it is the viewer's own change), else as it was.
 */
export function applyReactionChange(
  reactions: readonly Reaction[] = [],
  change: ReactionChangedEvent,
  byViewer: boolean,
): readonly Reaction[] {
  const existing = reactions.find((reaction) => reaction.emoji === change.emoji);
  if (change.count <= 0) return reactions.filter((reaction) => reaction !== existing);
  const updated: Reaction = {
    emoji: change.emoji,
    count: change.count,
    people: change.people,
    mine: byViewer ? change.add : (existing?.mine ?? false),
  };
  return existing ? reactions.map((reaction) => (reaction === existing ? updated : reaction)) : [...reactions, updated];
}

/**
 * A server copy sent to everyone (a broadcast) does not say which reactions are the viewer's:
 * each keeps what `held` said (none, when held did not have it).
 */
export function withKnownMine(incoming: readonly Reaction[], held: readonly Reaction[] = []): readonly Reaction[] {
  if (incoming.every((reaction) => reaction.mine !== undefined)) return incoming;
  return incoming.map((reaction) =>
    reaction.mine !== undefined
      ? reaction
      : { ...reaction, mine: held.find((h) => h.emoji === reaction.emoji)?.mine ?? false },
  );
}

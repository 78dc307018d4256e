/**
 * The rules of changing a message, as pure decisions on its stored state: who may edit, delete or
 * react, and what a repeat of the same change does (nothing). The room log runs them inside its
 * retry loop, so they must not have effects.
 */
import {
  type EditMessageRequest,
  MAX_REACTIONS_PER_MESSAGE,
  MAX_TOLD_PER_MESSAGE,
  REACTION_PEOPLE_SHOWN,
  type ReactionRequest,
  type UserRef,
} from '../../../contract';
import type { Decision, MessageState, StoredMessage } from './room-log';

/** Whom a message may mention, as checked against the room (mentions/mentions.ts keptMentions). */
export interface KeptMentions {
  readonly mentions?: readonly string[];
  readonly mentionsRoom?: boolean;
}

export interface Refusal {
  readonly status: 403 | 409;
  readonly message: string;
}

const refuse = (status: Refusal['status'], message: string) => ({ refused: { status, message } });
const unchanged = { unchanged: true } as const;

/**
 * An edit replaces the text and whom the message mentions. `members` is what `keptMentions` kept of
 * the edit's `mentions` and `mentionsRoom` (members of the room; `@room` where allowed), checked
 * before the change; a person the message already mentioned stays mentioned while the edit names
 * them, member or not (they were one when mentioned, and dropping them would turn their `@Name`
 * into a bare `<@id>`). An edit naming neither field comes from a client that cannot say whom it
 * mentions: it keeps those of the message's mentions whose token is still in the text, and `@room`.
 */
export function decideEdit(
  current: StoredMessage,
  user: UserRef,
  edit: EditMessageRequest,
  members: KeptMentions,
  now: string,
): Decision<Refusal> {
  if (current.sender.id !== user.id) return refuse(403, 'Only the author can edit a message');
  if (current.deleted) return refuse(409, 'That message was deleted');
  // A repeat, or an older edit arriving late, never replaces a newer one.
  if (current.revision !== undefined && edit.revision <= current.revision) return unchanged;
  const before = current.mentions ?? [];
  const says = edit.mentions !== undefined || edit.mentionsRoom !== undefined;
  const mentions = says
    ? [...new Set(edit.mentions)].filter((id) => members.mentions?.includes(id) || before.includes(id))
    : before.filter((id) => edit.text.includes(`<@${id}>`));
  const mentionsRoom = says ? members.mentionsRoom === true : current.mentionsRoom === true;
  if (edit.text === current.text && sameList(mentions, before) && mentionsRoom === (current.mentionsRoom === true)) {
    return unchanged;
  }
  const {
    mentions: _mentions,
    mentionsRoom: _mentionsRoom,
    told: _told,
    toldRoom: _toldRoom,
    toldLast: _toldLast,
    toldRoomLast: _toldRoomLast,
    ...rest
  } = current;
  return {
    state: {
      ...rest,
      text: edit.text,
      editedAt: now,
      revision: edit.revision,
      ...(mentions.length > 0 && { mentions }),
      ...(mentionsRoom && { mentionsRoom }),
      ...tellingOf(current, user.id, mentions, mentionsRoom),
    },
  };
}

/** Whom a message told so far (see MessageState.told); a message stored before those fields told what it mentioned. */
export function toldOf(message: MessageState): { readonly told: readonly string[]; readonly toldRoom: boolean } {
  return { told: message.told ?? message.mentions ?? [], toldRoom: message.toldRoom ?? message.mentionsRoom === true };
}

/**
 * Whom an edit tells: the people it mentions who were never told of the message (never the author;
 * at most MAX_TOLD_PER_MESSAGE over the message's life), and the room if it says `@room` and the
 * room was never told.
 */
function tellingOf(
  current: MessageState,
  author: string,
  mentions: readonly string[],
  mentionsRoom: boolean,
): Pick<MessageState, 'told' | 'toldRoom' | 'toldLast' | 'toldRoomLast'> {
  const before = toldOf(current);
  const room = mentionsRoom && !before.toldRoom;
  const fresh = mentions
    .filter((id) => id !== author && !before.told.includes(id))
    .slice(0, Math.max(0, MAX_TOLD_PER_MESSAGE - before.told.length));
  const told = [...before.told, ...fresh];
  return {
    ...(told.length > 0 && { told }),
    ...((before.toldRoom || room) && { toldRoom: true }),
    ...(fresh.length > 0 && { toldLast: fresh }),
    ...(room && { toldRoomLast: true }),
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** `mayModerate`: the caller moderates the room (rooms-store.ts moderates). */
export function decideDelete(current: StoredMessage, user: UserRef, mayModerate: boolean): Decision<Refusal> {
  if (current.deleted) return unchanged;
  if (current.sender.id !== user.id && !mayModerate) {
    return refuse(403, "Only the author or the room's owner and admins can delete a message");
  }
  const {
    reactions: _reactions,
    legacyReactors: _legacyReactors,
    editedAt: _editedAt,
    attachments: _attachments,
    ...rest
  } = current;
  return { state: { ...rest, text: '', deleted: true, deletedBy: user.id } };
}

/**
 * A person adds or removes their reaction. `mine`: the emoji they reacted with on this message (their
 * rows, reactors.ts; people in {@link MessageState.legacyReactors} count too). `more`: others who
 * reacted with the emoji, to name in place of a named person who takes theirs back (see
 * {@link needsMorePeople}). The message keeps a count and the first few people per emoji.
 */
export function decideReaction(
  current: StoredMessage,
  user: UserRef,
  change: ReactionRequest,
  mine: readonly string[],
  more: readonly UserRef[] = [],
): Decision<Refusal> {
  if (current.deleted) return refuse(409, 'That message was deleted');
  const { emoji } = change;
  const { reactions: all = {}, legacyReactors, ...rest } = current;
  const summary = all[emoji] ?? { count: 0, people: [] };
  const inLegacy = isLegacyReactor(current, user.id, emoji);
  if (change.add === (inLegacy || mine.includes(emoji))) return unchanged;
  const { [emoji]: _changed, ...others } = all;
  if (change.add) {
    if (summary.count === 0 && Object.keys(all).length >= MAX_REACTIONS_PER_MESSAGE) {
      return refuse(409, `A message can carry at most ${MAX_REACTIONS_PER_MESSAGE} different reactions`);
    }
    const people =
      summary.people.length < REACTION_PEOPLE_SHOWN
        ? [...summary.people, { id: user.id, name: user.name }]
        : summary.people;
    return { state: { ...current, reactions: { ...others, [emoji]: { count: summary.count + 1, people } } } };
  }
  const count = summary.count - 1;
  const kept = summary.people.filter((person) => person.id !== user.id);
  const people = [
    ...kept,
    ...more.filter((person) => person.id !== user.id && !kept.some((k) => k.id === person.id)),
  ].slice(0, Math.min(REACTION_PEOPLE_SHOWN, count));
  const reactions = count > 0 ? { ...others, [emoji]: { count, people } } : others;
  const legacy = inLegacy ? withoutLegacyReactor(legacyReactors ?? {}, user.id, emoji) : (legacyReactors ?? {});
  return {
    state: {
      ...rest,
      ...(Object.keys(reactions).length > 0 && { reactions }),
      ...(Object.keys(legacy).length > 0 && { legacyReactors: legacy }),
    },
  };
}

/** Whether taking `user`'s reaction back leaves a named place that others who reacted could fill. */
export function needsMorePeople(current: StoredMessage, userId: string, change: ReactionRequest): boolean {
  const summary = current.reactions?.[change.emoji];
  if (change.add || !summary?.people.some((person) => person.id === userId)) return false;
  return summary.count - 1 > summary.people.length - 1;
}

/** Whether `userId` is among the reactors a message stored before reactor rows kept for `emoji`. */
export function isLegacyReactor(message: MessageState, userId: string, emoji: string): boolean {
  return message.legacyReactors?.[emoji]?.some((person) => person.id === userId) ?? false;
}

function withoutLegacyReactor(
  legacy: Readonly<Record<string, readonly UserRef[]>>,
  userId: string,
  emoji: string,
): Record<string, readonly UserRef[]> {
  const { [emoji]: people = [], ...others } = legacy;
  const left = people.filter((person) => person.id !== userId);
  return left.length > 0 ? { ...others, [emoji]: left } : others;
}

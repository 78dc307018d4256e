/**
 * The rules of changing a message, as pure decisions on its stored state: who may edit, delete or
 * react, and what a repeat of the same change does (nothing). The room log runs them inside its
 * retry loop, so they must not have effects.
 */
import {
  type EditMessageRequest,
  MAX_REACTIONS_PER_MESSAGE,
  MAX_TOLD_PER_MESSAGE,
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
  const { reactions: _reactions, editedAt: _editedAt, attachments: _attachments, ...rest } = current;
  return { state: { ...rest, text: '', deleted: true, deletedBy: user.id } };
}

export function decideReaction(current: StoredMessage, user: UserRef, change: ReactionRequest): Decision<Refusal> {
  if (current.deleted) return refuse(409, 'That message was deleted');
  const reactions = current.reactions ?? {};
  const people = reactions[change.emoji] ?? [];
  const mine = people.some((person) => person.id === user.id);
  if (change.add === mine) return unchanged;
  if (change.add) {
    if (people.length === 0 && Object.keys(reactions).length >= MAX_REACTIONS_PER_MESSAGE) {
      return refuse(409, `A message can carry at most ${MAX_REACTIONS_PER_MESSAGE} different reactions`);
    }
    return {
      state: { ...current, reactions: { ...reactions, [change.emoji]: [...people, { id: user.id, name: user.name }] } },
    };
  }
  const { [change.emoji]: _removed, ...others } = reactions;
  const left = people.filter((person) => person.id !== user.id);
  return { state: { ...current, reactions: left.length > 0 ? { ...others, [change.emoji]: left } : others } };
}

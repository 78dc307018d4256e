/** The numbers and names both sides agree on. The server enforces them; the SPA uses them to say so early. */

/** The SignalR hub every client connects to. */
export const HUB = 'chat';

/** The room everyone is in. It has no owner and no membership rows. */
export const GENERAL_ROOM = 'general';

/** Direct-message rooms are named with this prefix; nobody may create a room named so. */
export const DM_PREFIX = 'dm-';

/** Message text, counted after trimming. */
export const MAX_TEXT_LENGTH = 4000;

/** Room names: lower-case letters, digits and "-". */
export const ROOM_NAME_PATTERN = /^[a-z0-9-]{1,64}$/;

/** Ids the client generates (message ids; a UUID fits). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** History page sizes. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Request bodies larger than this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Messages one person may send in a window before 429. */
export const SEND_RATE_LIMIT = { max: 20, windowMs: 10_000 } as const;

/** Distinct emoji one message may carry. */
export const MAX_REACTIONS_PER_MESSAGE = 20;

/** A reaction is one emoji grapheme, at most this many UTF-16 units (flags and skin tones included). */
export const MAX_EMOJI_LENGTH = 32;

/** What a reply quotes of the message it answers. */
export const REPLY_EXCERPT_LENGTH = 120;

/** The palette offered first; any single emoji is accepted. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;

/** App setting naming the people (user ids, comma-separated) who may delete any message in `general`. */
export const MODERATORS_SETTING = 'HUBBUB_MODERATORS';

/** A message older than this is not broadcast again: clients that missed it catch up instead. */
export const ANNOUNCE_WINDOW_MS = 10 * 60_000;

/** People one message may mention by id (`mentions`); the server keeps only members of the room. */
export const MAX_MENTIONS = 20;

/**
 * User ids as the platform issues them (and as `mentions` carries them): 1-128 printable ASCII
 * characters without spaces.
 */
export const USER_ID_PATTERN = /^[\x21-\x7E]{1,128}$/;

/**
 * Whether `@room` (`mentionsRoom`) notifies everyone in the room: in every room and direct
 * message except `general`, which is everyone and too big. Elsewhere the server stores
 * `mentionsRoom: false` (the text is sent as written).
 */
export function allowsRoomMentions(room: string): boolean {
  return room !== GENERAL_ROOM;
}

/** Unread and mention counts stop at this number: show it as "99+". */
export const UNREAD_COUNT_CAP = 100;

/** Read-position and mute changes one person may make in a window before 429 (separate from sends). */
export const READ_STATE_RATE_LIMIT = { max: 60, windowMs: 10_000 } as const;

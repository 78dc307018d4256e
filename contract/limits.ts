/** The numbers and names both sides agree on. The server enforces them; the SPA uses them to say so early. */

/** The SignalR hub every client connects to. */
export const HUB = 'chat';

/** The room everyone is in. It has no owner and no membership rows. */
export const GENERAL_ROOM = 'general';

/** Direct-message rooms are named with this prefix; nobody may create a room named so. */
export const DM_PREFIX = 'dm-';

/** The most people one group conversation (a direct message of more than two) holds. */
export const MAX_GROUP_DM_PEOPLE = 8;

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

/** A per-person budget: at most `max` requests in any `windowMs`, then 429 with `Retry-After`. */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** Messages one person may send in a window before 429. */
export const SEND_RATE_LIMIT = { max: 20, windowMs: 10_000 } as const satisfies RateLimit;
/** Typing events, per person and room: about one every 2 s (the SPA sends at most one every 2.5 s). */
export const TYPING_RATE_LIMIT = { max: 1, windowMs: 2_000 } as const satisfies RateLimit;
/** New public rooms one person may create. */
export const ROOM_CREATE_RATE_LIMIT = { max: 10, windowMs: 60_000 } as const satisfies RateLimit;
/** Direct messages one person may open (or reopen). */
export const DM_OPEN_RATE_LIMIT = { max: 20, windowMs: 60_000 } as const satisfies RateLimit;
/** Joins and leaves together, per person. */
export const MEMBERSHIP_RATE_LIMIT = { max: 30, windowMs: 60_000 } as const satisfies RateLimit;
/** Negotiations (each connect and reconnect of each tab), per person. */
export const NEGOTIATE_RATE_LIMIT = { max: 60, windowMs: 60_000 } as const satisfies RateLimit;
/** Blocks and unblocks together, per person. */
export const BLOCK_RATE_LIMIT = { max: 30, windowMs: 60_000 } as const satisfies RateLimit;
/** People one person may block (their list is one small row that a count reads at most once). */
export const MAX_BLOCKS = 1000;
/** Presence heartbeats, per person (a tab sends one every {@link PRESENCE_HEARTBEAT_MS}). */
export const HEARTBEAT_RATE_LIMIT = { max: 12, windowMs: 60_000 } as const satisfies RateLimit;

/** How often a connected client tells the server it is still there. */
export const PRESENCE_HEARTBEAT_MS = 15_000;
/** A connection not seen (connected event or heartbeat) for this long no longer counts as online. */
export const PRESENCE_TTL_MS = 35_000;

/** People and rooms lists are paged: the default and largest page. */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 100;
/** The longest search text (a name prefix) a list accepts. */
export const MAX_QUERY_LENGTH = 64;

/** User ids (the platform's principal id): at most this many characters, none of / \\ # ? or controls. */
export const MAX_USER_ID_LENGTH = 256;
/** Display names, counted after trimming. */
export const MAX_NAME_LENGTH = 64;

/** A room's topic: one line under its title. */
export const MAX_TOPIC_LENGTH = 250;

/** Distinct emoji one message may carry. */
export const MAX_REACTIONS_PER_MESSAGE = 20;

/** People a reaction names (the tooltip's "Ann, Bo and 41 others"); the rest are only counted. */
export const REACTION_PEOPLE_SHOWN = 3;

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
 * People one message tells by name over its whole life (its send and every edit): each is told
 * once, and an edit naming more people than this only mentions the rest (no `mention` event).
 */
export const MAX_TOLD_PER_MESSAGE = 100;

/**
 * `@room` per person and room: sends with `mentionsRoom`, and edits that add it to a message whose
 * room was never told. Each tells the whole room (one group event), so it is kept rare.
 */
export const ROOM_MENTION_RATE_LIMIT = { max: 5, windowMs: 5 * 60_000 } as const satisfies RateLimit;

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

/**
 * Reads of the lists, per person and route (a bucket each): `GET /api/users`, `/api/rooms`,
 * `/api/rooms/{room}/members` and `/api/read-state`. The SPA reads each once per connect and
 * reconnect of each tab, the rooms again when a tab comes back, the read state when a room is
 * joined or opened, members when a room opens and as `@` is typed (debounced): far below this.
 */
export const LIST_READ_RATE_LIMIT = { max: 120, windowMs: 60_000 } as const satisfies RateLimit;

/** One attachment's size. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** Attachments one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/** An attachment's thumbnail is an upload of its own (an inline image type), at most this size. */
export const MAX_THUMBNAIL_BYTES = 64 * 1024;

/** A file name as the uploader declares it (the server keeps it for display and downloads). */
export const MAX_ATTACHMENT_NAME_LENGTH = 200;

/** How long an upload's write URL is valid; a file not stored by then needs a new upload. */
export const UPLOAD_URL_TTL_MS = 10 * 60_000;

/**
 * An upload that no message carries is deleted (blob and record) once its write URL has been
 * expired this long: a file attached and then abandoned does not stay for ever.
 */
export const UNSENT_UPLOAD_TTL_MS = 24 * 60 * 60_000;

/** What every read URL tells the browser (and any cache between) about keeping the file: nothing is kept. */
export const READ_URL_CACHE_CONTROL = 'private, no-store';

/** How long a read URL is valid: ask again (GET the attachment) for a fresh one. */
export const READ_URL_TTL_MS = 5 * 60_000;

/** Uploads one person may request in a window before 429. */
export const UPLOAD_RATE_LIMIT = { max: 30, windowMs: 60_000 } as const;

/**
 * The types an attachment may have (the declared type must also match the file name's extension).
 * Nothing a browser would run or render as a document of the site: no HTML, SVG, XML or scripts.
 */
export const ALLOWED_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/x-7z-compressed',
  'application/gzip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/mp4',
  'audio/webm',
  'audio/ogg',
] as const;

export type AttachmentType = (typeof ALLOWED_ATTACHMENT_TYPES)[number];

/** Shown as images (an `<img>` may show them), and served inline. */
export const INLINE_ATTACHMENT_TYPES: readonly AttachmentType[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

/**
 * Played in the message (`<video>` or `<audio>` with controls, never autoplay), and served inline
 * like images; every type in neither list is served as a download.
 */
export const PLAYABLE_ATTACHMENT_TYPES: readonly AttachmentType[] = [
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/mp4',
  'audio/webm',
  'audio/ogg',
];

/**
 * Other names browsers give allowed types (Chromium calls an `.m4a` `audio/x-m4a`): an upload
 * declares the type the server expects for the name's extension.
 */
export const ATTACHMENT_TYPE_ALIASES: Readonly<Record<string, AttachmentType>> = {
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/mp3': 'audio/mpeg',
  'audio/x-mpeg': 'audio/mpeg',
  'audio/x-mp3': 'audio/mpeg',
  'image/jpg': 'image/jpeg',
  'application/x-zip-compressed': 'application/zip',
  'application/x-gzip': 'application/gzip',
};

/** The type to declare for a file the browser typed `type` (its own name for an allowed type mapped). */
export function declaredAttachmentType(type: string): string {
  return Object.hasOwn(ATTACHMENT_TYPE_ALIASES, type) ? ATTACHMENT_TYPE_ALIASES[type] : type;
}

/** Search (docs/search.md): the longest `q`, the most words and operators in one, and the page sizes. */
export const MAX_SEARCH_QUERY_LENGTH = 500;
export const MAX_SEARCH_TERMS = 16;
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 50;

// ---- Push and notification settings (docs/push.md) ----

/** Push subscriptions (devices) one person may hold; a new one past this is refused (409). */
export const MAX_PUSH_SUBSCRIPTIONS = 10;

/** Subscription changes (POST and DELETE of `Routes.pushSubscriptions`) per person. */
export const PUSH_SUBSCRIPTION_RATE_LIMIT = { max: 20, windowMs: 60_000 } as const satisfies RateLimit;

/** A push's excerpt of the message, plain text, at most this many characters (an ellipsis marks a cut). */
export const MAX_PUSH_EXCERPT_LENGTH = 140;

/** How long a push service keeps a push for a device that is offline (the `TTL` header), in seconds. */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;

/**
 * The push services' origins an endpoint may have unless `HUBBUB_PUSH_ENDPOINT_ORIGINS` replaces
 * the list: Chromium's (FCM), Firefox's (Mozilla autopush), Safari's (Apple) and Edge's (WNS).
 */
export const DEFAULT_PUSH_ENDPOINT_ORIGINS = [
  'https://fcm.googleapis.com',
  'https://updates.push.services.mozilla.com',
  'https://web.push.apple.com',
  'https://wns2-par02p.notify.windows.com',
] as const;

/** Notification-level and do-not-disturb changes per person (with read-position changes' budget). */
export const NOTIFICATION_SETTINGS_RATE_LIMIT = READ_STATE_RATE_LIMIT;

/** The longest do-not-disturb one may set ("custom" included). */
export const MAX_DO_NOT_DISTURB_MS = 7 * 24 * 60 * 60_000;

// ---- People: profiles, avatars, status and presence (docs/people.md) ----

/** Profile, avatar and status changes per person. */
export const PROFILE_RATE_LIMIT = { max: 10, windowMs: 60_000 } as const satisfies RateLimit;

/** The "what I do" line. */
export const MAX_ABOUT_LENGTH = 100;

/** A status's text. */
export const MAX_STATUS_TEXT_LENGTH = 100;

/** The longest a status may be set for (besides "never", which has no expiry). */
export const MAX_STATUS_DURATION_MS = 8 * 24 * 60 * 60_000;

/** An avatar as the person picks it, before the browser crops and resizes it. */
export const MAX_AVATAR_SOURCE_BYTES = 2 * 1024 * 1024;

/** A stored avatar: square, this many pixels a side, at most {@link MAX_AVATAR_BYTES}. */
export const AVATAR_SIZE_PX = 256;
export const MAX_AVATAR_BYTES = 256 * 1024;

/** The types an avatar may be stored as (a GIF shows its first frame: the browser redraws it). */
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type AvatarType = (typeof AVATAR_TYPES)[number];

/** No input in any tab for this long and a person shows as away. */
export const AWAY_AFTER_MS = 10 * 60_000;

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
] as const;

export type AttachmentType = (typeof ALLOWED_ATTACHMENT_TYPES)[number];

/** Served inline (an `<img>` may show them); every other type is served as a download. */
export const INLINE_ATTACHMENT_TYPES: readonly AttachmentType[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

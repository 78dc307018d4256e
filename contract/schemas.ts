/**
 * What crosses the wire, as valibot schemas: the types both sides use are inferred from them, and
 * the same schemas check it at run time — requests in the Functions app, hub events and stored
 * outbox entries in the SPA. Valibot is used because it tree-shakes to the few validators the SPA
 * imports.
 */
import * as v from 'valibot';

import {
  ALLOWED_ATTACHMENT_TYPES,
  AVATAR_TYPES,
  CLIENT_ID_PATTERN,
  DEFAULT_LIST_LIMIT,
  DEFAULT_SEARCH_LIMIT,
  MAX_ABOUT_LENGTH,
  MAX_ATTACHMENT_NAME_LENGTH,
  MAX_ATTACHMENTS_PER_MESSAGE,
  MAX_AVATAR_BYTES,
  MAX_EMOJI_LENGTH,
  MAX_LIST_LIMIT,
  MAX_MENTIONS,
  MAX_NAME_LENGTH,
  MAX_QUERY_LENGTH,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_QUERY_LENGTH,
  MAX_STATUS_TEXT_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_TOPIC_LENGTH,
  MAX_USER_ID_LENGTH,
  ROOM_NAME_PATTERN,
} from './limits';

// C0 and C1 controls except tab, line feed and carriage return, which chat text legitimately has.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

// Characters that reorder or hide text: bidi embeddings, overrides, isolates and marks, and the
// zero-width characters. A name containing one can impersonate another or hide what it says.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const ZERO_WIDTH = /[\u200B-\u200D\uFEFF\u2060]/;
// A zero-width joiner inside an emoji sequence (👩‍👩‍👧) is how that emoji is written, not a hidden character.
const EMOJI_JOINER = /(\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu;

/** The checks that refuse bidi controls and zero-width characters (emoji sequences excepted) in `field`. */
function hiddenCharacterChecks(field: string) {
  return [
    v.check((text: string) => !BIDI_CONTROLS.test(text), `${field} must not contain bidirectional control characters`),
    v.check(
      (text: string) => !ZERO_WIDTH.test(text.replace(EMOJI_JOINER, '$1')),
      `${field} must not contain zero-width characters`,
    ),
  ] as const;
}

// A hidden character, except a zero-width joiner inside an emoji sequence.
const HIDDEN_CHARACTERS = new RegExp(
  `${BIDI_CONTROLS.source}|(?!(?<=\\p{Extended_Pictographic}[\\uFE0F\\u{1F3FB}-\\u{1F3FF}]?)\\u200D(?=\\p{Extended_Pictographic}))${ZERO_WIDTH.source}`,
  'gu',
);

/** `text` without bidi controls and zero-width characters (emoji sequences kept): for names stored before they were refused. */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, '');
}

// Characters Table Storage refuses in PartitionKey / RowKey.
const KEY_UNSAFE = /[/\\#?\u0000-\u001F\u007F-\u009F]/;

// ---- Fields, with the messages a person sees when one is wrong ----

/** A user id as the platform names the principal: usable as a Table Storage key. */
export const UserIdSchema = v.pipe(
  v.string('userId must name a person'),
  v.minLength(1, 'userId must name a person'),
  v.maxLength(MAX_USER_ID_LENGTH, `user ids are at most ${MAX_USER_ID_LENGTH} characters`),
  v.check((id) => !KEY_UNSAFE.test(id), 'user ids must not contain /, \\, #, ? or control characters'),
  v.check((id) => id.trim() === id, 'user ids must not start or end with spaces'),
);

/** A display name: trimmed, 1 to {@link MAX_NAME_LENGTH} characters, no controls, no bidi or zero-width characters. */
export const DisplayNameSchema = v.pipe(
  v.string('name must be a string'),
  v.trim(),
  v.minLength(1, `name must be 1-${MAX_NAME_LENGTH} characters`),
  v.maxLength(MAX_NAME_LENGTH, `name must be 1-${MAX_NAME_LENGTH} characters`),
  v.check(
    (name) => !CONTROL_CHARACTERS.test(name) && !/[\t\n\r]/.test(name),
    'name must not contain control characters',
  ),
  ...hiddenCharacterChecks('name'),
);

/** `GET /api/users?id=…&id=…`: people looked up by id (a mention of someone no list has shown yet). */
export const UserIdsSchema = v.pipe(
  v.array(UserIdSchema),
  v.minLength(1, 'id must name a person'),
  v.maxLength(MAX_LIST_LIMIT, `at most ${MAX_LIST_LIMIT} ids at once`),
);

/** The query of a paged list: `query` (a name prefix), `cursor` (from the previous page) and `limit`. */
export const ListQuerySchema = v.object({
  query: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(MAX_QUERY_LENGTH, `query must be at most ${MAX_QUERY_LENGTH} characters`),
      v.check((q) => !CONTROL_CHARACTERS.test(q), 'query must not contain control characters'),
    ),
    '',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(2048, 'cursor is not one this server gave'))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, `limit must be 1-${MAX_LIST_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `limit must be 1-${MAX_LIST_LIMIT}`),
      v.maxValue(MAX_LIST_LIMIT, `limit must be 1-${MAX_LIST_LIMIT}`),
    ),
    String(DEFAULT_LIST_LIMIT),
  ),
});
export type ListQuery = v.InferOutput<typeof ListQuerySchema>;

export const ClientIdSchema = v.pipe(
  v.string('id must be 1-64 letters, digits, "-" or "_" (a UUID works)'),
  v.regex(CLIENT_ID_PATTERN, 'id must be 1-64 letters, digits, "-" or "_" (a UUID works)'),
);

export const RoomNameSchema = v.pipe(
  v.string('room must be 1-64 characters of a-z, 0-9 and "-"'),
  v.regex(ROOM_NAME_PATTERN, 'room must be 1-64 characters of a-z, 0-9 and "-"'),
);

/** Message text: trimmed, 1 to {@link MAX_TEXT_LENGTH} characters, no control characters. */
export const MessageTextSchema = v.pipe(
  v.string('text must be a string'),
  v.trim(),
  v.minLength(1, `text must be 1-${MAX_TEXT_LENGTH} characters`),
  v.maxLength(MAX_TEXT_LENGTH, `text must be 1-${MAX_TEXT_LENGTH} characters`),
  v.check((text) => !CONTROL_CHARACTERS.test(text), 'text must not contain control characters'),
);

/** One emoji: a single grapheme that is pictographic (or a flag / keycap sequence). */
export const EmojiSchema = v.pipe(
  v.string('emoji must be a string'),
  v.maxLength(MAX_EMOJI_LENGTH, 'emoji must be a single emoji'),
  v.check(isSingleEmoji, 'emoji must be a single emoji'),
);

const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

function isSingleEmoji(value: string): boolean {
  if (!PICTOGRAPHIC.test(value)) return false;
  const segments = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(value);
  let count = 0;
  for (const _ of segments) if (++count > 1) return false;
  return count === 1;
}

// ---- Shapes the server sends ----

export const UserRefSchema = v.pipe(v.object({ id: v.string(), name: v.string() }), v.readonly());
export type UserRef = v.InferOutput<typeof UserRefSchema>;

/**
 * One emoji's reactions on a message: how many people, a few of them by name (at most
 * REACTION_PEOPLE_SHOWN, the earliest first), and `mine`: whether the viewer is one of them. `mine`
 * is in what is sent to one person (pages, the answers to their own changes); a broadcast is the
 * same for everyone and leaves it out, and a client keeps what it knew (see `reactionChanged`).
 */
export const ReactionSchema = v.pipe(
  v.object({
    emoji: v.string(),
    count: v.number(),
    people: v.pipe(v.array(UserRefSchema), v.readonly()),
    mine: v.optional(v.boolean()),
  }),
  v.readonly(),
);
export type Reaction = v.InferOutput<typeof ReactionSchema>;

/**
 * Someone added (`add`) or removed their reaction `emoji` on message `id`: the emoji's new `count`
 * and `people`, and the message's change numbers before (`previousSeq`) and after (`seq`) it. A
 * client sets `mine` when `user` is the viewer and keeps it otherwise; it applies the event to a
 * message it holds at a lower `seq` (holding it at `previousSeq` means nothing was missed between).
 */
export const ReactionChangedEventSchema = v.pipe(
  v.object({
    room: v.string(),
    id: v.string(),
    emoji: v.string(),
    user: UserRefSchema,
    add: v.boolean(),
    count: v.number(),
    people: v.pipe(v.array(UserRefSchema), v.readonly()),
    seq: v.number(),
    previousSeq: v.number(),
  }),
  v.readonly(),
);
export type ReactionChangedEvent = v.InferOutput<typeof ReactionChangedEventSchema>;

/** What a reply shows of the message it answers; `deleted` when that message was taken back. */
export const ReplyQuoteSchema = v.pipe(
  v.object({
    id: v.string(),
    sender: v.optional(UserRefSchema),
    excerpt: v.optional(v.string()),
    deleted: v.optional(v.boolean()),
  }),
  v.readonly(),
);
export type ReplyQuote = v.InferOutput<typeof ReplyQuoteSchema>;

/**
 * A file a message carries. `id` is the upload's id: GET `Routes.attachment` with it for a
 * short-lived read URL. `thumbnail`, when there is one, is the id of a small image upload, read the
 * same way. `width`/`height` are what the sender measured (images), for layout before loading.
 */
export const AttachmentSchema = v.pipe(
  v.object({
    id: v.string(),
    name: v.string(),
    size: v.number(),
    type: v.string(),
    width: v.optional(v.number()),
    height: v.optional(v.number()),
    thumbnail: v.optional(v.string()),
  }),
  v.readonly(),
);
export type Attachment = v.InferOutput<typeof AttachmentSchema>;

export const MessageSchema = v.pipe(
  v.object({
    id: v.string(),
    room: v.string(),
    /** Empty once the message is deleted. */
    text: v.string(),
    sender: UserRefSchema,
    sentAt: v.string(),
    /** The room's change number of this message's latest change: the order catch-up follows. */
    seq: v.optional(v.number()),
    editedAt: v.optional(v.string()),
    deleted: v.optional(v.boolean()),
    reactions: v.optional(v.pipe(v.array(ReactionSchema), v.readonly())),
    replyTo: v.optional(ReplyQuoteSchema),
    /**
     * Ids of the people the message mentions (members of the room when it was sent); render each
     * as the person's current name. The text holds each as `<@id>` where it was written (a `<@id>`
     * whose id is not listed here is plain text). Absent when none, and once the message is deleted.
     */
    mentions: v.optional(v.pipe(v.array(v.string()), v.readonly())),
    /** `@room`: everyone in the room is mentioned (never in `general`). */
    mentionsRoom: v.optional(v.boolean()),
    attachments: v.optional(v.pipe(v.array(AttachmentSchema), v.readonly())),
  }),
  v.readonly(),
);
export type Message = v.InferOutput<typeof MessageSchema>;

export const RoomKindSchema = v.picklist(['room', 'dm']);
export type RoomKind = v.InferOutput<typeof RoomKindSchema>;

/** A member's role in a room: the owner (one), admins, everyone else. */
export const RoomRoleSchema = v.picklist(['owner', 'admin', 'member']);
export type RoomRole = v.InferOutput<typeof RoomRoleSchema>;

export const RoomSchema = v.pipe(
  v.object({
    name: v.string(),
    kind: RoomKindSchema,
    title: v.string(),
    /** Direct messages only: their people (two, or 3-8 in a group conversation). */
    members: v.optional(v.pipe(v.array(UserRefSchema), v.readonly())),
    joined: v.boolean(),
    /** True when the viewer may delete other people's messages here (the room's owner or admins, or a workspace admin or moderator). */
    moderator: v.optional(v.boolean()),
    /** Only members know a private room exists. */
    private: v.optional(v.boolean()),
    /** One line under the room's title, set by its owner and admins. */
    topic: v.optional(v.string()),
    /** Read-only and out of the room list; its members still read and search it. */
    archived: v.optional(v.boolean()),
    /** A private room whose owner lets only owner and admins add people: false (absent, every member may). */
    membersMayAdd: v.optional(v.boolean()),
    /** The viewer's role in the room, when they are a member. */
    role: v.optional(RoomRoleSchema),
  }),
  v.readonly(),
);
export type Room = v.InferOutput<typeof RoomSchema>;

/**
 * How present a person is: `active` (connected, input in the last AWAY_AFTER_MS), `away` (connected,
 * idle or set away by hand), `dnd` (do not disturb is on), `offline` (no live connection).
 */
export const PresenceStateSchema = v.picklist(['active', 'away', 'dnd', 'offline']);
export type PresenceState = v.InferOutput<typeof PresenceStateSchema>;

/** What a person says they are up to; gone by itself at `expiresAt` (absent: until cleared). */
export const UserStatusSchema = v.pipe(
  v.object({ emoji: v.optional(v.string()), text: v.string(), expiresAt: v.optional(v.string()) }),
  v.readonly(),
);
export type UserStatus = v.InferOutput<typeof UserStatusSchema>;

/**
 * A person as lists show them. `avatar` is their avatar's version (absent: none, show initials on
 * a colour derived from the id); its bytes are at `Routes.userAvatar?v=<avatar>`. `presence` and
 * `status` are present once the people feature serves them; `online` stays for older clients.
 */
export const UserSchema = v.pipe(
  v.object({
    id: v.string(),
    name: v.string(),
    online: v.boolean(),
    presence: v.optional(PresenceStateSchema),
    avatar: v.optional(v.string()),
    status: v.optional(UserStatusSchema),
  }),
  v.readonly(),
);
export type User = v.InferOutput<typeof UserSchema>;

/** A person's profile card (`Routes.userProfile`, `Routes.profile`, and the `profileChanged` event). */
export const ProfileSchema = v.pipe(
  v.object({
    id: v.string(),
    name: v.string(),
    avatar: v.optional(v.string()),
    /** The "what I do" line. */
    about: v.optional(v.string()),
    /** An IANA time zone (`Europe/Paris`): the card shows the person's local time. */
    timeZone: v.optional(v.string()),
    status: v.optional(UserStatusSchema),
    presence: PresenceStateSchema,
    /** Only in the caller's own profile: do not disturb is on until then. */
    doNotDisturbUntil: v.optional(v.string()),
  }),
  v.readonly(),
);
export type Profile = v.InferOutput<typeof ProfileSchema>;

/**
 * A page of history (`before`, or the newest page) or of changes (`since`).
 *
 * History pages hold messages in the order they were sent, oldest first. Change pages hold every
 * message created, edited, deleted or reacted to after the `since` number, once each, in its
 * current state, in the order the changes were stored.
 */
export interface MessagePage {
  readonly messages: readonly Message[];
  readonly hasMore: boolean;
  /**
   * The room's change number this page is complete up to: pass it as `since` to get everything
   * that changed afterwards (a client keeps the highest it has seen, from pages and events alike).
   */
  readonly cursor: number;
}

/** A page of rooms; `cursor`, when present, fetches the next one. */
export interface RoomList {
  readonly rooms: readonly Room[];
  readonly cursor?: string;
}

/** A page of people in name order; `cursor`, when present, fetches the next one. */
export interface UserList {
  readonly users: readonly User[];
  readonly cursor?: string;
}

/** A page of a room's members (no order promised: sort for display); `cursor`, when present, fetches the next one. */
export interface MemberList {
  /**
   * Each with `role` where the room has roles (not in `general` or DMs); in `GET Routes.roomMembers`
   * also as `User` (online, presence, avatar, status; the bans list gives only id and name).
   */
  readonly members: readonly (UserRef & Partial<Omit<User, 'id' | 'name'>> & { readonly role?: RoomRole })[];
  readonly cursor?: string;
}

/** `GET Routes.blocks`: the people the caller blocked (at most MAX_BLOCKS), most recent first. */
export interface BlockList {
  /** As `User` (current name, avatar, status, presence) since the people feature; older servers gave `UserRef`. */
  readonly users: readonly (UserRef & Partial<Omit<User, 'id' | 'name'>>)[];
}

/**
 * `GET Routes.search`: `q` (words, `"a phrase"`, `-word` and operators: docs/search.md), `cursor`
 * (from the previous page) and `limit`. What `q` says is parsed by the server, which answers 400
 * saying what is wrong with it.
 */
export const SearchQuerySchema = v.object({
  q: v.pipe(
    v.string('q must say what to search for'),
    v.trim(),
    v.minLength(1, 'q must say what to search for'),
    v.maxLength(MAX_SEARCH_QUERY_LENGTH, `q must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`),
    v.check((q) => !CONTROL_CHARACTERS.test(q), 'q must not contain control characters'),
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(8192, 'cursor is not one this server gave'))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, `limit must be 1-${MAX_SEARCH_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `limit must be 1-${MAX_SEARCH_LIMIT}`),
      v.maxValue(MAX_SEARCH_LIMIT, `limit must be 1-${MAX_SEARCH_LIMIT}`),
    ),
    String(DEFAULT_SEARCH_LIMIT),
  ),
});
export type SearchQuery = v.InferOutput<typeof SearchQuerySchema>;

/** A part of a message's `text`, as UTF-16 offsets: `text.slice(start, end)`. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** One message found, in its current state, with the parts of its text that matched (none when only a file name or an operator did). */
export interface SearchResult {
  readonly message: Message;
  readonly highlights: readonly TextRange[];
}

/** A page of search results, newest first; `cursor`, when present, fetches the next (a page may hold fewer than `limit`, even none, and still have one). */
export interface SearchPage {
  readonly results: readonly SearchResult[];
  readonly cursor?: string;
}

export interface NegotiateResponse {
  readonly url: string;
  readonly accessToken: string;
}

// ---- Events the server pushes through SignalR ----

export const TypingEventSchema = v.pipe(v.object({ room: v.string(), user: UserRefSchema }), v.readonly());
export type TypingEvent = v.InferOutput<typeof TypingEventSchema>;

/** To everyone: a person's presence changed (`online` for older clients; `state` says which). */
export const PresenceEventSchema = v.pipe(
  v.object({ user: UserRefSchema, online: v.boolean(), state: v.optional(PresenceStateSchema) }),
  v.readonly(),
);
export type PresenceEvent = v.InferOutput<typeof PresenceEventSchema>;

/**
 * One person's read state of one room. `readSeq` is the room's change number up to which they
 * have read: a message is unread when it was created after it (its creation number, not its
 * latest `seq`), was not sent by them and is not deleted. `mentions` counts the unread ones that
 * mention them by id or with `@room`, and in a direct message every unread one. Both counts stop
 * at {@link UNREAD_COUNT_CAP}. `version` counts up with every stored change of this state: a
 * client applies a `readState` event or answer only when its version is higher than the one it
 * holds, so events arriving out of order never move it back.
 */
export const ReadStateSchema = v.pipe(
  v.object({
    room: v.string(),
    readSeq: v.number(),
    unread: v.number(),
    mentions: v.number(),
    /** Kept for older clients: true when `notify` is `nothing`. */
    muted: v.boolean(),
    /** What of the room notifies the person; absent means `muted ? 'nothing' : 'mentions'`. */
    notify: v.optional(v.picklist(['all', 'mentions', 'nothing'])),
    version: v.number(),
  }),
  v.readonly(),
);
export type ReadState = v.InferOutput<typeof ReadStateSchema>;

export interface ReadStateList {
  /** `general`, then every room and direct message the caller is in. */
  readonly rooms: readonly ReadState[];
}

/**
 * To the person (every tab and device): they were added to a room (`room` set) or are out of it
 * (`removed`: taken out, banned, or they left on another device) — the client drops it at once.
 */
export const MembershipEventSchema = v.pipe(
  v.object({
    name: v.string(),
    room: v.optional(RoomSchema),
    removed: v.optional(v.picklist(['left', 'removed', 'banned'])),
  }),
  v.readonly(),
);
export type MembershipEvent = v.InferOutput<typeof MembershipEventSchema>;

/** To a room's group: its title, topic or archive state changed (the room as a member sees it, without `role`). */
export const RoomChangedEventSchema = v.pipe(
  v.object({
    name: v.string(),
    title: v.string(),
    topic: v.optional(v.string()),
    archived: v.optional(v.boolean()),
    /** False when only the owner and admins may add people (private rooms); absent, every member may. */
    membersMayAdd: v.optional(v.boolean()),
  }),
  v.readonly(),
);
export type RoomChangedEvent = v.InferOutput<typeof RoomChangedEventSchema>;

/** To a room's group: a member joined, left, was removed or banned, or their role changed. */
export const MemberChangedEventSchema = v.pipe(
  v.object({
    room: v.string(),
    user: UserRefSchema,
    role: v.optional(RoomRoleSchema),
    /** Present when the person is no longer a member. */
    gone: v.optional(v.picklist(['left', 'removed', 'banned'])),
  }),
  v.readonly(),
);
export type MemberChangedEvent = v.InferOutput<typeof MemberChangedEventSchema>;

/** To a mentioned person (or the other person of a direct message) who has not muted the room. */
export const MentionEventSchema = v.pipe(v.object({ room: v.string(), message: MessageSchema }), v.readonly());
export type MentionEvent = v.InferOutput<typeof MentionEventSchema>;

/**
 * What a push carries to the service worker (encrypted, `aes128gcm`): enough to show the
 * notification and open the message. `tag` is the same for a message in every tab and push, so a
 * device shows one notification per message.
 */
export const PushPayloadSchema = v.pipe(
  v.object({
    room: v.string(),
    roomTitle: v.string(),
    sender: UserRefSchema,
    /** Plain text, at most MAX_PUSH_EXCERPT_LENGTH characters. */
    excerpt: v.string(),
    messageId: v.string(),
    /** `messageAddress(room, messageId)`: where a click opens. */
    url: v.string(),
    tag: v.string(),
    /** `mention`, `room` (an `@room`), `dm` (a direct or group message), `all` (the room notifies everything). */
    reason: v.picklist(['mention', 'room', 'dm', 'all']),
  }),
  v.readonly(),
);
export type PushPayload = v.InferOutput<typeof PushPayloadSchema>;

/** The notification tag of a message: one notification per message on a device, whoever shows it. */
export function notificationTag(room: string, messageId: string): string {
  return `hubbub:${room}:${messageId}`;
}

// ---- Requests the SPA sends ----

const UploadIdSchema = (field: string) =>
  v.pipe(v.string(`${field} must be an upload id`), v.regex(CLIENT_ID_PATTERN, `${field} must be an upload id`));

const DimensionSchema = (field: string) =>
  v.pipe(
    v.number(`${field} must be a number`),
    v.integer(`${field} must be a whole number of pixels`),
    v.minValue(1, `${field} must be 1-100000 pixels`),
    v.maxValue(100_000, `${field} must be 1-100000 pixels`),
  );

/** One file of a new message: an upload the sender stored (its name, size and type were declared then). */
export const AttachmentRefSchema = v.object({
  id: UploadIdSchema('attachment id'),
  width: v.optional(DimensionSchema('width')),
  height: v.optional(DimensionSchema('height')),
  /** An upload of a small inline image (at most MAX_THUMBNAIL_BYTES) that previews this one. */
  thumbnail: v.optional(UploadIdSchema('thumbnail')),
});
export type AttachmentRef = v.InferOutput<typeof AttachmentRefSchema>;

/** Ids of the people a message mentions (new or edited), at most {@link MAX_MENTIONS}. */
const MentionsSchema = v.pipe(
  v.array(UserIdSchema, 'mentions must be a list of user ids'),
  v.maxLength(MAX_MENTIONS, `mentions may name at most ${MAX_MENTIONS} people`),
);

/** `@room` in a message (new or edited). */
const MentionsRoomSchema = v.boolean('mentionsRoom must be true or false');

/** A message's text may be empty when it carries attachments. */
export const NewMessageRequestSchema = v.pipe(
  v.object({
    id: ClientIdSchema,
    room: RoomNameSchema,
    text: v.pipe(
      v.string('text must be a string'),
      v.trim(),
      v.maxLength(MAX_TEXT_LENGTH, `text must be 1-${MAX_TEXT_LENGTH} characters`),
      v.check((text) => !CONTROL_CHARACTERS.test(text), 'text must not contain control characters'),
    ),
    /** The id of the message this one answers. */
    replyTo: v.optional(
      v.pipe(v.string('replyTo must be a message id'), v.regex(CLIENT_ID_PATTERN, 'replyTo must be a message id')),
    ),
    /** Ids of the people mentioned; the server keeps those who are members of the room, once each. */
    mentions: v.optional(MentionsSchema),
    /** `@room`: kept only where {@link allowsRoomMentions}. */
    mentionsRoom: v.optional(MentionsRoomSchema),
    attachments: v.optional(
      v.pipe(
        v.array(AttachmentRefSchema, 'attachments must be a list'),
        v.maxLength(MAX_ATTACHMENTS_PER_MESSAGE, `A message can carry at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`),
        v.check((refs) => {
          const ids = refs.flatMap((ref) => [ref.id, ...(ref.thumbnail === undefined ? [] : [ref.thumbnail])]);
          return new Set(ids).size === ids.length;
        }, 'Each upload can be attached once'),
      ),
    ),
  }),
  v.check(
    (request) => request.text.length > 0 || (request.attachments?.length ?? 0) > 0,
    `text must be 1-${MAX_TEXT_LENGTH} characters`,
  ),
);
export type NewMessageRequest = v.InferOutput<typeof NewMessageRequestSchema>;

export const EditMessageRequestSchema = v.object({
  text: MessageTextSchema,
  /**
   * The editing client's revision (it counts up with each edit, e.g. the time it was made): the
   * server keeps the highest, so a repeated or late-arriving older edit changes nothing.
   */
  revision: v.pipe(
    v.number('revision must be a number'),
    v.integer('revision must be an integer'),
    v.minValue(0, 'revision must be 0 or more'),
  ),
  /**
   * Whom the edited text mentions, as for a new message (members only, once each): it replaces
   * what the message mentioned, and people it newly mentions are told. The SPA always sends it.
   * A request with neither this nor `mentionsRoom` (a client from before edits could mention)
   * keeps those of the message's mentions whose `<@id>` the new text still holds, and its `@room`.
   */
  mentions: v.optional(MentionsSchema),
  /** `@room`, kept only where {@link allowsRoomMentions}; absent is false when `mentions` is given. */
  mentionsRoom: v.optional(MentionsRoomSchema),
});
export type EditMessageRequest = v.InferOutput<typeof EditMessageRequestSchema>;

/** Adds (`add: true`) or removes the caller's reaction; repeating either changes nothing. */
export const ReactionRequestSchema = v.object({ emoji: EmojiSchema, add: v.boolean('add must be true or false') });
export type ReactionRequest = v.InferOutput<typeof ReactionRequestSchema>;

/**
 * `PUT /api/rooms/{room}/read`: `{ seq? }` marks the room read up to that change number (the
 * room's newest when absent; never beyond it) and only ever moves the position forward;
 * `{ unreadFrom: messageId }` ("mark as unread") sets it to just before that message, backwards
 * or forwards.
 */
export const MarkReadRequestSchema = v.union(
  [
    v.strictObject({ unreadFrom: v.pipe(v.string(), v.regex(CLIENT_ID_PATTERN)) }),
    v.strictObject({
      seq: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    }),
  ],
  'send { "seq": a change number (0 or more) } or { "unreadFrom": a message id }',
);
export type MarkReadRequest = v.InferOutput<typeof MarkReadRequestSchema>;

export const MuteRequestSchema = v.object({ muted: v.boolean('muted must be true or false') });
export type MuteRequest = v.InferOutput<typeof MuteRequestSchema>;

export const NotifyLevelSchema = v.picklist(
  ['all', 'mentions', 'nothing'],
  'level must be "all", "mentions" or "nothing"',
);
export type NotifyLevel = v.InferOutput<typeof NotifyLevelSchema>;

/** `PUT Routes.roomNotifications`. */
export const NotificationLevelRequestSchema = v.object({ level: NotifyLevelSchema });
export type NotificationLevelRequest = v.InferOutput<typeof NotificationLevelRequestSchema>;

/** `PUT Routes.doNotDisturb`: an ISO time in the future, at most MAX_DO_NOT_DISTURB_MS away (checked by the server). */
export const DoNotDisturbRequestSchema = v.object({
  until: v.pipe(v.string('until must be an ISO time'), v.isoTimestamp('until must be an ISO time')),
});
export type DoNotDisturbRequest = v.InferOutput<typeof DoNotDisturbRequestSchema>;

/** `POST Routes.pushSubscriptions`: the browser's `PushSubscription.toJSON()`, and a label for the device. */
export const PushSubscriptionRequestSchema = v.object({
  endpoint: v.pipe(
    v.string('endpoint must be a URL'),
    v.url('endpoint must be a URL'),
    v.maxLength(2048, 'endpoint is too long'),
  ),
  expirationTime: v.optional(v.nullable(v.number('expirationTime must be a number or null'))),
  keys: v.object(
    {
      p256dh: v.pipe(
        v.string('keys.p256dh must be base64url'),
        v.regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'keys.p256dh must be a base64url P-256 public key'),
      ),
      auth: v.pipe(
        v.string('keys.auth must be base64url'),
        v.regex(/^[A-Za-z0-9_-]{16,32}={0,2}$/, 'keys.auth must be a base64url secret'),
      ),
    },
    'keys must hold p256dh and auth',
  ),
  device: v.optional(v.pipe(DisplayNameSchema)),
});
export type PushSubscriptionRequest = v.InferOutput<typeof PushSubscriptionRequestSchema>;

/** One of the caller's push devices (`GET Routes.pushSubscriptions`); the endpoint identifies it for DELETE. */
export interface PushDevice {
  readonly endpoint: string;
  readonly device: string;
  readonly createdAt: string;
}
export interface PushDeviceList {
  readonly devices: readonly PushDevice[];
}

/** `PATCH Routes.profile`: at least one field; an empty `about` or `timeZone` clears it. */
export const ProfileUpdateRequestSchema = v.pipe(
  v.object({
    name: v.optional(DisplayNameSchema),
    about: v.optional(
      v.pipe(
        v.string('about must be a string'),
        v.trim(),
        v.maxLength(MAX_ABOUT_LENGTH, `about must be at most ${MAX_ABOUT_LENGTH} characters`),
        v.check((t) => !CONTROL_CHARACTERS.test(t) && !/[\t\n\r]/.test(t), 'about must not contain control characters'),
        ...hiddenCharacterChecks('about'),
      ),
    ),
    timeZone: v.optional(
      v.pipe(
        v.string('timeZone must be a time zone'),
        v.maxLength(64, 'timeZone must be a time zone'),
        v.check((tz) => tz === '' || isTimeZone(tz), 'timeZone must be an IANA time zone such as Europe/Paris'),
      ),
    ),
  }),
  v.check(
    (r) => r.name !== undefined || r.about !== undefined || r.timeZone !== undefined,
    'give a name, about or timeZone',
  ),
);
export type ProfileUpdateRequest = v.InferOutput<typeof ProfileUpdateRequestSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `PUT Routes.status`: a text (may be empty with an emoji), and when it ends (absent: never). */
export const StatusRequestSchema = v.pipe(
  v.object({
    emoji: v.optional(EmojiSchema),
    text: v.optional(
      v.pipe(
        v.string('text must be a string'),
        v.trim(),
        v.maxLength(MAX_STATUS_TEXT_LENGTH, `text must be at most ${MAX_STATUS_TEXT_LENGTH} characters`),
        v.check((t) => !CONTROL_CHARACTERS.test(t) && !/[\t\n\r]/.test(t), 'text must not contain control characters'),
        ...hiddenCharacterChecks('text'),
      ),
    ),
    expiresAt: v.optional(
      v.pipe(v.string('expiresAt must be an ISO time'), v.isoTimestamp('expiresAt must be an ISO time')),
    ),
  }),
  v.check((r) => (r.text ?? '') !== '' || r.emoji !== undefined, 'give a text or an emoji'),
);
export type StatusRequest = v.InferOutput<typeof StatusRequestSchema>;

/** `POST Routes.avatar`: the resized avatar's size and type (its bytes then go to the write URL). */
export const AvatarUploadRequestSchema = v.object({
  size: v.pipe(
    v.number('size must be a number of bytes'),
    v.integer('size must be a number of bytes'),
    v.minValue(1, 'size must be at least 1 byte'),
    v.maxValue(MAX_AVATAR_BYTES, `an avatar is at most ${MAX_AVATAR_BYTES} bytes once resized`),
  ),
  type: v.picklist(AVATAR_TYPES, `type must be one of ${AVATAR_TYPES.join(', ')}`),
});
export type AvatarUploadRequest = v.InferOutput<typeof AvatarUploadRequestSchema>;

/** The answer to `POST Routes.avatar`: PUT the bytes to `uploadUrl`, then POST `Routes.avatarComplete` with `id`. */
export interface AvatarUpload {
  readonly id: string;
  readonly uploadUrl: string;
  readonly expiresAt: string;
}

/** `POST Routes.presenceHeartbeat`: `away` when the person is idle or set away by hand. */
export const HeartbeatRequestSchema = v.object({ away: v.optional(v.boolean('away must be true or false')) });
export type HeartbeatRequest = v.InferOutput<typeof HeartbeatRequestSchema>;

/** Asks for a write URL for one new file; `size` in bytes, `type` one of ALLOWED_ATTACHMENT_TYPES matching the name. */
export const UploadRequestSchema = v.object({
  name: v.pipe(
    v.string('name must be a file name'),
    v.trim(),
    v.minLength(1, `name must be 1-${MAX_ATTACHMENT_NAME_LENGTH} characters`),
    v.maxLength(MAX_ATTACHMENT_NAME_LENGTH, `name must be 1-${MAX_ATTACHMENT_NAME_LENGTH} characters`),
    v.check((name) => !CONTROL_CHARACTERS.test(name) && !/[\\/]/.test(name), 'name must be a plain file name'),
    // The same rules as display names: `invoice\u202Efdp.zip` would show as "invoicepiz.pdf".
    ...hiddenCharacterChecks('name'),
  ),
  size: v.pipe(
    v.number('size must be a number of bytes'),
    v.integer('size must be a whole number of bytes'),
    v.minValue(1, 'size must be at least 1 byte'),
  ),
  type: v.picklist(
    ALLOWED_ATTACHMENT_TYPES,
    'That type of file cannot be shared (allowed: images, video, audio, PDF, text, archives, office documents)',
  ),
});
export type UploadRequest = v.InferOutput<typeof UploadRequestSchema>;

/**
 * Where to store the file: PUT its bytes to `url` before `expiresAt` with the headers
 * `x-ms-blob-type: BlockBlob` and `Content-Type: <the declared type>`, exactly `size` bytes, in one
 * request. The URL creates that one blob only (it can neither read nor overwrite). Then POST
 * `Routes.uploadComplete`: the server checks what was stored and answers {@link UploadComplete}, or
 * `409` (and deletes it) when its size, type or contents are not what was declared.
 */
export interface UploadResponse {
  readonly uploadId: string;
  readonly url: string;
  readonly expiresAt: string;
  readonly maxBytes: number;
}

/** A stored upload the server checked (POST `Routes.uploadComplete`): ready to be sent with a message. */
export interface UploadComplete {
  readonly uploadId: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
}

/** A read URL of an attachment (GET `Routes.attachment` with `?format=json`). */
export interface AttachmentUrl {
  readonly url: string;
  readonly expiresAt: string;
}

export const CreateRoomRequestSchema = v.object({
  name: RoomNameSchema,
  private: v.optional(v.boolean('private must be true or false')),
});
export type CreateRoomRequest = v.InferOutput<typeof CreateRoomRequestSchema>;

/** `POST Routes.roomMembers`: add a person to the room. */
export const AddMemberRequestSchema = v.object({ userId: UserIdSchema });
export type AddMemberRequest = v.InferOutput<typeof AddMemberRequestSchema>;

/** `PUT Routes.roomMember`: the owner's role passes only by the owner leaving. */
export const SetRoleRequestSchema = v.object({
  role: v.picklist(['admin', 'member'], 'role must be "admin" or "member"'),
});
export type SetRoleRequest = v.InferOutput<typeof SetRoleRequestSchema>;

/** `PATCH Routes.room`: at least one of the fields; an empty topic clears it. */
export const UpdateRoomRequestSchema = v.pipe(
  v.object({
    title: v.optional(DisplayNameSchema),
    topic: v.optional(
      v.pipe(
        v.string('topic must be a string'),
        v.trim(),
        v.maxLength(MAX_TOPIC_LENGTH, `topic must be at most ${MAX_TOPIC_LENGTH} characters`),
        v.check((t) => !CONTROL_CHARACTERS.test(t) && !/[\t\n\r]/.test(t), 'topic must not contain control characters'),
        ...hiddenCharacterChecks('topic'),
      ),
    ),
    archived: v.optional(v.boolean('archived must be true or false')),
    /** Private rooms, set by the owner: false lets only the owner and admins add people. */
    membersMayAdd: v.optional(v.boolean('membersMayAdd must be true or false')),
  }),
  v.check(
    (r) => r.title !== undefined || r.topic !== undefined || r.archived !== undefined || r.membersMayAdd !== undefined,
    'give a title, a topic, archived or membersMayAdd',
  ),
);
export type UpdateRoomRequest = v.InferOutput<typeof UpdateRoomRequestSchema>;

/** `POST Routes.directMessages`: the DM with one person, or a group conversation with 2-7 others (3-8 people in all). */
export type DirectMessageRequest = { readonly userId: string } | { readonly userIds: readonly string[] };

// ---- Checking ----

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The value as the schema outputs it, or the first problem in words a person can act on. */
export function check<S extends v.GenericSchema>(schema: S, value: unknown): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  return result.success ? { ok: true, value: result.output } : { ok: false, message: result.issues[0].message };
}

/** A type guard from a schema, for streams of untrusted values. */
export function guard<S extends v.GenericSchema>(schema: S): (value: unknown) => value is v.InferOutput<S> {
  return (value: unknown): value is v.InferOutput<S> => v.is(schema, value);
}

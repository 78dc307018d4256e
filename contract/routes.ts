/**
 * The HTTP API's routes as the Functions app registers them (`{name}` marks a parameter).
 * The SPA fills them with {@link apiPath}, so a route is written once.
 */
export const Routes = {
  negotiate: 'api/negotiate',
  me: 'api/me',
  login: 'api/login',
  messages: 'api/messages',
  /** GET: the newest page; `?before=<id>` older, `?since=<change number>` catch-up, `?around=<id>` the page around a message. */
  history: 'api/rooms/{room}/messages',
  /** PATCH edits the text, DELETE takes the message back. */
  message: 'api/rooms/{room}/messages/{id}',
  reactions: 'api/rooms/{room}/messages/{id}/reactions',
  /** The author asks for a stored message to be broadcast again (its first broadcast failed). */
  announce: 'api/rooms/{room}/messages/{id}/announce',
  /** GET `?query=&cursor=&limit=`: a page of rooms (the first page also has all of the caller's); POST creates one. */
  rooms: 'api/rooms',
  joinRoom: 'api/rooms/{room}/join',
  leaveRoom: 'api/rooms/{room}/leave',
  /** GET `?query=&cursor=&limit=` (members only): a page of the room's members, optionally those whose name starts with `query`. */
  roomMembers: 'api/rooms/{room}/members',
  typing: 'api/rooms/{room}/typing',
  directMessages: 'api/dms',
  /**
   * GET `?query=&cursor=&limit=`: a page of people, optionally those whose name starts with `query`;
   * or `?id=…&id=…` (at most MAX_LIST_LIMIT): those people, the ones Hubbub knows, in no order.
   */
  users: 'api/users',
  /** GET: the caller's read state (position, unread and mention counts, mute) of every room they are in. */
  readState: 'api/read-state',
  /** PUT: mark read up to a change number, or unread from a message. */
  markRead: 'api/rooms/{room}/read',
  /** PUT `{ muted }`: no `mention` events from the room while muted. */
  muteRoom: 'api/rooms/{room}/mute',
  /**
   * POST `{ away? }`: the caller's connection is still alive (sent every PRESENCE_HEARTBEAT_MS while
   * connected); `away: true` when no tab had input for AWAY_AFTER_MS or the person set away by hand.
   */
  presenceHeartbeat: 'api/presence/heartbeat',
  /** POST `{ name, size, type }`: a write URL for one new file of the room (then send it with a message). */
  uploads: 'api/rooms/{room}/uploads',
  /**
   * POST `{}` once the PUT of an upload's bytes succeeded: the server checks the stored file (size,
   * type and its first bytes against the declared type) at once; a wrong one is deleted (`409`).
   */
  uploadComplete: 'api/rooms/{room}/uploads/{id}/complete',
  /** GET: a short-lived read URL of an attachment (302 to it, or `?format=json` for `{ url, expiresAt }`). */
  attachment: 'api/rooms/{room}/attachments/{id}',
  /** PATCH `{ title?, topic?, archived? }` (owner and admins): the room's title, topic, or archive state. */
  room: 'api/rooms/{room}',
  /**
   * POST to `roomMembers` `{ userId }` adds a person. On one member: PUT `{ role }` sets their role
   * (owner and admins); DELETE removes them (owner and admins, or oneself), `?ban=true` also bans.
   */
  roomMember: 'api/rooms/{room}/members/{userId}',
  /** GET (owner and admins): the room's banned people; DELETE on one (`roomBan`) lifts a ban. */
  roomBans: 'api/rooms/{room}/bans',
  roomBan: 'api/rooms/{room}/bans/{userId}',
  /** GET `?q=&cursor=&limit=`: messages the caller may see that match, newest first. */
  search: 'api/search',
  /** GET: the people the caller blocked; PUT/DELETE on one (`block`) blocks or unblocks them. */
  blocks: 'api/me/blocks',
  block: 'api/me/blocks/{userId}',

  // ---- Push and notification settings (docs/push.md) ----
  /** GET: `{ key }`, the VAPID application server key (base64url, uncompressed P-256 point). */
  pushVapidKey: 'api/push/vapid-public-key',
  /**
   * GET: the caller's devices (`PushDeviceList`); POST a browser's `PushSubscription` JSON (with an
   * optional `device` label) to store it; DELETE `?endpoint=` removes one.
   */
  pushSubscriptions: 'api/push/subscriptions',
  /** PUT `{ level }`: what of this room notifies the caller (in tabs, by push, on the badge). */
  roomNotifications: 'api/rooms/{room}/notifications',
  /** PUT `{ until }` (ISO time) turns do not disturb on until then; DELETE turns it off. */
  doNotDisturb: 'api/me/do-not-disturb',

  // ---- People (docs/people.md) ----
  /** GET: the caller's own `Profile`; PATCH `{ name?, about?, timeZone? }` changes it. */
  profile: 'api/me/profile',
  /** GET: anyone's `Profile` (any signed-in person). */
  userProfile: 'api/users/{userId}/profile',
  /** POST `{ size, type }`: a write URL for a new avatar; DELETE removes the caller's avatar (and its blob). */
  avatar: 'api/me/avatar',
  /** POST `{}` once the PUT of the avatar's bytes succeeded: checked (size, type, first bytes), then shown. */
  avatarComplete: 'api/me/avatar/{id}/complete',
  /** GET `?v=<avatar version>`: the avatar's bytes, cached by the browser (immutable per version). */
  userAvatar: 'api/users/{userId}/avatar',
  /** PUT `{ emoji?, text?, expiresAt? }` sets the caller's status; DELETE clears it. */
  status: 'api/me/status',
} as const;

export type Route = (typeof Routes)[keyof typeof Routes];

/** `/api/rooms/a%20b/join` from `Routes.joinRoom` and `{ room: 'a b' }`: every parameter URL-encoded. */
export function apiPath(route: Route, params: Readonly<Record<string, string>> = {}): string {
  return (
    '/' +
    route.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`${route} needs ${name}`);
      return encodeURIComponent(value);
    })
  );
}

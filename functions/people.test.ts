/**
 * People against Azurite: profiles (a chosen name that outlives the next sign-in and reaches the
 * people list, name search and room members), status with an expiry, avatars through a write URL
 * (checked, replaced, deleted: gone from the container), the avatar route's caching, the shared
 * rate limit, and every refusal with what is wrong. Each change hands the SignalR binding exactly
 * one `profileChanged`, to everyone (no group, no user: one message per change).
 */
import { randomUUID } from 'node:crypto';

import type { AvatarUpload, ErrorBody, MemberList, Message, Profile, UserList } from '../contract';
import { MAX_AVATAR_BYTES, MAX_STATUS_DURATION_MS, PROFILE_RATE_LIMIT } from '../contract';
import { changeAvatar, completeAvatar, getAvatar, IMMUTABLE_CACHE, SHORT_CACHE } from './avatar';
import { postRoom } from './create-room';
import { changeDoNotDisturb } from './do-not-disturb';
import { postJoin } from './join-room';
import { postMessage } from './messages';
import type { Principal } from './platform/http/identity';
import { withErrors } from './platform/http/with-errors';
import { AVATARS_CONTAINER, blobs } from './platform/storage/blobs';
import { myProfile, userProfile } from './profile';
import { getRoomMembers } from './room-members';
import { changeStatus } from './status';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call, signIn } from './testing/calls';
import { invocation, request } from './testing/requests';
import { postTyping } from './typing';
import { getUsers } from './users';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());
afterEach(() => jest.restoreAllMocks());

/** Own people each test: Jest runs files in parallel against one Azurite, and the rate limit is per person. */
const person = (name: string): Principal => ({ id: `dev-ppl-${name.toLowerCase()}-${randomUUID().slice(0, 8)}`, name });

type Answer = Profile & ErrorBody;

const patch = (user: Principal, body: unknown) => call<Answer>(myProfile, 'PATCH', 'me/profile', { user, body });
const putStatus = (user: Principal, body: unknown) => call<Answer>(changeStatus, 'PUT', 'me/status', { user, body });
const askAvatar = (user: Principal, body: unknown) =>
  call<AvatarUpload & ErrorBody>(changeAvatar, 'POST', 'me/avatar', { user, body });
const complete = (user: Principal, id: string) =>
  call<Answer>(completeAvatar, 'POST', `me/avatar/${id}/complete`, { user, params: { id }, body: {} });

/** The one event a change hands the binding: `profileChanged` to everyone. */
const changed = (profile: Partial<Profile>) => [
  { target: 'profileChanged', arguments: [expect.objectContaining(profile) as unknown] },
];

async function usersNamed(viewer: Principal, query: string): Promise<UserList['users']> {
  const list = await call<UserList>(getUsers, 'GET', 'users', { user: viewer, query: { query, limit: '100' } });
  expect(list.status).toBe(200);
  return list.body.users;
}

describe('profiles', () => {
  it('a chosen name answers the new card, is told to everyone once, and outlives the next sign-in', async () => {
    const quinn = person('Quinn');
    const viewer = person('Viewer');
    await signIn(quinn);
    await signIn(viewer);

    const renamed = await patch(quinn, { name: 'Quinn Zebrafish', about: 'Plays the oboe', timeZone: 'Europe/Paris' });
    expect(renamed.status).toBe(200);
    const card = { id: quinn.id, name: 'Quinn Zebrafish', about: 'Plays the oboe', timeZone: 'Europe/Paris' };
    expect(renamed.body).toEqual({ ...card, presence: 'offline' });
    expect(renamed.outputs).toEqual(changed(card));
    const [sent] = renamed.outputs as { groupName?: string; userId?: string; arguments: Profile[] }[];
    expect(sent.groupName).toBeUndefined();
    expect(sent.userId).toBeUndefined();

    // The platform still says "Quinn" at the next sign-in: the chosen name stays.
    await signIn(quinn);
    const seen = await call<Answer>(userProfile, 'GET', `users/${quinn.id}/profile`, {
      user: viewer,
      params: { userId: quinn.id },
    });
    expect(seen).toMatchObject({ status: 200, body: { ...card, presence: 'offline' } });
    expect(seen.body.doNotDisturbUntil).toBeUndefined();

    // The people list and name search follow the rename; the old name finds nobody.
    expect((await usersNamed(viewer, 'quinn zebra')).map((u) => u.id)).toEqual([quinn.id]);
    expect((await usersNamed(viewer, 'Quinn')).filter((u) => u.id === quinn.id)).toEqual([
      { id: quinn.id, name: 'Quinn Zebrafish', online: false, presence: 'offline' },
    ]);
    const byId = await call<UserList>(getUsers, 'GET', 'users', { user: viewer, query: { id: quinn.id } });
    expect(byId.body.users).toEqual([{ id: quinn.id, name: 'Quinn Zebrafish', online: false, presence: 'offline' }]);

    // A PATCH that changes nothing says nothing.
    const same = await patch(quinn, { name: 'Quinn Zebrafish' });
    expect(same.status).toBe(200);
    expect(same.outputs).toBeUndefined();

    // '' clears the about line and the time zone.
    const cleared = await patch(quinn, { about: '', timeZone: '' });
    expect(cleared.body).toEqual({ id: quinn.id, name: 'Quinn Zebrafish', presence: 'offline' });
  });

  it('a rename reaches the members of the rooms one is in, and their search by name', async () => {
    const owner = person('Rhoda');
    const rory = person('Rory');
    const room = `ppl-${randomUUID().slice(0, 8)}`;
    await signIn(owner);
    await signIn(rory);
    expect((await call(postRoom, 'POST', 'rooms', { user: owner, body: { name: room } })).status).toBe(201);
    expect((await call(postJoin, 'POST', `rooms/${room}/join`, { user: rory, params: { room } })).status).toBe(200);
    expect((await patch(rory, { name: 'Xanthe' })).status).toBe(200);

    const members = (query = '') =>
      call<MemberList>(getRoomMembers, 'GET', `rooms/${room}/members`, {
        user: owner,
        params: { room },
        query: { query },
      });
    expect((await members()).body.members.find((m) => m.id === rory.id)).toMatchObject({
      name: 'Xanthe',
      presence: 'offline',
      online: false,
      role: 'member',
    });
    expect((await members('xan')).body.members.map((m) => m.id)).toEqual([rory.id]);
    expect((await members('rory')).body.members).toEqual([]);

    // Joining another room after the rename (the principal still says "Rory") indexes the chosen name.
    const second = `ppl-${randomUUID().slice(0, 8)}`;
    await call(postRoom, 'POST', 'rooms', { user: owner, body: { name: second } });
    await call(postJoin, 'POST', `rooms/${second}/join`, { user: rory, params: { room: second } });
    const there = await call<MemberList>(getRoomMembers, 'GET', `rooms/${second}/members`, {
      user: owner,
      params: { room: second },
      query: { query: 'xan' },
    });
    expect(there.body.members.map((m) => m.name)).toEqual(['Xanthe']);

    // What Rory sends and types from now on carries the chosen name (the principal still says "Rory").
    const sent = await call<Message>(postMessage, 'POST', 'messages', {
      user: rory,
      body: { id: randomUUID(), room, text: 'named' },
    });
    expect(sent.body.sender).toEqual({ id: rory.id, name: 'Xanthe' });
    const typed = await call(postTyping, 'POST', `rooms/${room}/typing`, { user: rory, params: { room } });
    expect(typed.outputs).toEqual([
      expect.objectContaining({ target: 'typing', arguments: [{ room, user: { id: rory.id, name: 'Xanthe' } }] }),
    ]);
  });

  it('the own card carries do not disturb; anyone else is 404 until Hubbub saw them', async () => {
    const sam = person('Sam');
    await signIn(sam);
    const until = new Date(Date.now() + 60 * 60_000).toISOString();
    await call(changeDoNotDisturb, 'PUT', 'me/do-not-disturb', { user: sam, body: { until } });
    const own = await call<Answer>(myProfile, 'GET', 'me/profile', { user: sam });
    expect(own.body).toEqual({ id: sam.id, name: 'Sam', presence: 'offline', doNotDisturbUntil: until });

    const ghost = person('Ghost');
    const unknown = await call<Answer>(userProfile, 'GET', `users/${ghost.id}/profile`, {
      user: sam,
      params: { userId: ghost.id },
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'No such person' } } });
    const signedOut = await call<Answer>(userProfile, 'GET', `users/${sam.id}/profile`, { params: { userId: sam.id } });
    expect(signedOut.status).toBe(401);
  });

  it('refuses names, about lines and time zones that break the rules, saying what is wrong, and changes nothing', async () => {
    const tess = person('Tess');
    await signIn(tess);
    const refusals: [unknown, string][] = [
      [{}, 'give a name, about or timeZone'],
      [{ name: '' }, 'name must be 1-64 characters'],
      [{ name: 'x'.repeat(65) }, 'name must be 1-64 characters'],
      [{ name: 'evil\u202Ename' }, 'name must not contain bidirectional control characters'],
      [{ about: 'a'.repeat(101) }, 'about must be at most 100 characters'],
      [{ about: 'two\nlines' }, 'about must not contain control characters'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone must be an IANA time zone such as Europe/Paris'],
    ];
    for (const [body, message] of refusals) {
      const refused = await patch(tess, body);
      expect({ body, status: refused.status, message: refused.body.error?.message }).toEqual({
        body,
        status: 400,
        message,
      });
      expect(refused.outputs).toBeUndefined();
    }
    const own = await call<Answer>(myProfile, 'GET', 'me/profile', { user: tess });
    expect(own.body).toEqual({ id: tess.id, name: 'Tess', presence: 'offline' });
  });
});

describe('status', () => {
  it('is set with an emoji, a text and an expiry, told once, and reads as none everywhere once expired', async () => {
    const uma = person('Uma');
    const viewer = person('Vic');
    await signIn(uma);
    await signIn(viewer);
    const expiresAt = new Date(Date.now() + 2_000).toISOString();
    const set = await putStatus(uma, { emoji: '🌴', text: '  On holiday ', expiresAt });
    expect(set.status).toBe(200);
    const status = { emoji: '🌴', text: 'On holiday', expiresAt };
    expect(set.body.status).toEqual(status);
    expect(set.outputs).toEqual(changed({ id: uma.id, status }));
    const listed = async () => (await usersNamed(viewer, 'Uma')).find((u) => u.id === uma.id);
    expect(await listed()).toEqual({ id: uma.id, name: 'Uma', online: false, presence: 'offline', status });

    // Past its expiry (the clock moved on, no waiting): no status on the card nor in the lists.
    const later = Date.parse(expiresAt) + 1;
    jest.spyOn(Date, 'now').mockImplementation(() => later);
    const card = await call<Answer>(userProfile, 'GET', `users/${uma.id}/profile`, {
      user: viewer,
      params: { userId: uma.id },
    });
    expect(card.body.status).toBeUndefined();
    expect(await listed()).toEqual({ id: uma.id, name: 'Uma', online: false, presence: 'offline' });
  });

  it('lasts until cleared without an expiry; DELETE clears it and tells everyone', async () => {
    const wes = person('Wes');
    await signIn(wes);
    const set = await putStatus(wes, { text: 'Writing the docs' });
    expect(set.body.status).toEqual({ text: 'Writing the docs' });
    const cleared = await call<Answer>(changeStatus, 'DELETE', 'me/status', { user: wes });
    expect(cleared.status).toBe(200);
    expect(cleared.body.status).toBeUndefined();
    expect(cleared.outputs).toEqual([
      { target: 'profileChanged', arguments: [{ id: wes.id, name: 'Wes', presence: 'offline' }] },
    ]);
    // Nothing left to clear: nothing told.
    expect((await call<Answer>(changeStatus, 'DELETE', 'me/status', { user: wes })).outputs).toBeUndefined();
  });

  it('refuses a past or too distant expiry and texts that break the rules', async () => {
    const xia = person('Xia');
    await signIn(xia);
    const refusals: [unknown, string][] = [
      [{}, 'give a text or an emoji'],
      [{ text: '   ' }, 'give a text or an emoji'],
      [{ text: 'x'.repeat(101) }, 'text must be at most 100 characters'],
      [{ text: 'bad\u0007bell' }, 'text must not contain control characters'],
      [{ text: 'hidden\u200Bspace' }, 'text must not contain zero-width characters'],
      [{ emoji: 'not an emoji' }, 'emoji must be a single emoji'],
      [{ text: 'soon', expiresAt: 'tomorrow' }, 'expiresAt must be an ISO time'],
      [{ text: 'soon', expiresAt: new Date(Date.now() - 1000).toISOString() }, 'expiresAt must be in the future'],
      [
        { text: 'soon', expiresAt: new Date(Date.now() + MAX_STATUS_DURATION_MS + 60_000).toISOString() },
        'a status lasts at most 8 days',
      ],
    ];
    for (const [body, message] of refusals) {
      const refused = await putStatus(xia, body);
      expect({ body, status: refused.status, message: refused.body.error?.message }).toEqual({
        body,
        status: 400,
        message,
      });
    }
  });
});

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(120, 7)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(200, 3)]);

const put = (url: string, bytes: Buffer, type: string) =>
  fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': type }, body: bytes });

/** The person's blobs in the avatars container (snapshots too). */
async function storedAvatars(user: Principal): Promise<string[]> {
  const names: string[] = [];
  const container = (await blobs(AVATARS_CONTAINER)).container;
  for await (const blob of container.listBlobsFlat({
    prefix: `${encodeURIComponent(user.id)}/`,
    includeSnapshots: true,
  }))
    names.push(blob.name);
  return names;
}

/** Asks for a write URL, PUTs the bytes and completes: the answer of complete. */
async function setAvatar(user: Principal, bytes: Buffer, type: string) {
  const issued = await askAvatar(user, { size: bytes.length, type });
  expect(issued.status).toBe(201);
  expect((await put(issued.body.uploadUrl, bytes, type)).status).toBe(201);
  return { id: issued.body.id, done: await complete(user, issued.body.id) };
}

const avatarOf = (viewer: Principal | undefined, owner: Principal, query: Record<string, string> = {}, headers = {}) =>
  withErrors(getAvatar)(
    request('GET', `users/${owner.id}/avatar`, { user: viewer, params: { userId: owner.id }, query, headers }),
    invocation('userAvatar'),
  );

describe('avatars', () => {
  it('are uploaded, shown to anyone signed in with immutable caching per version, replaced and deleted (gone from storage)', async () => {
    const yan = person('Yan');
    const viewer = person('Vic'); // not a name starting with z: lists.test.ts counts those in the shared Azurite
    await signIn(yan);
    await signIn(viewer);

    const first = await setAvatar(yan, PNG, 'image/png');
    expect(first.done.status).toBe(200);
    expect(first.done.body.avatar).toBe(first.id);
    expect(first.done.outputs).toEqual(changed({ id: yan.id, avatar: first.id }));
    expect(await storedAvatars(yan)).toEqual([`${encodeURIComponent(yan.id)}/${first.id}`]);
    // Completing again changes nothing and tells nobody.
    const again = await complete(yan, first.id);
    expect(again.status).toBe(200);
    expect(again.outputs).toBeUndefined();

    const served = await avatarOf(viewer, yan, { v: first.id });
    expect(served.status).toBe(200);
    expect(Buffer.from(served.body as Uint8Array)).toEqual(PNG);
    expect(served.headers).toMatchObject({
      'content-type': 'image/png',
      'cache-control': IMMUTABLE_CACHE,
      etag: `"${first.id}"`,
      'x-content-type-options': 'nosniff',
    });
    const unversioned = await avatarOf(viewer, yan);
    expect(unversioned.headers).toMatchObject({ 'cache-control': SHORT_CACHE, etag: `"${first.id}"` });
    const revalidated = await avatarOf(viewer, yan, {}, { 'if-none-match': `"${first.id}"` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBeUndefined();
    expect((await avatarOf(undefined, yan, { v: first.id })).status).toBe(401);
    const listed = (await usersNamed(viewer, 'Yan')).find((u) => u.id === yan.id);
    expect(listed?.avatar).toBe(first.id);

    // Replaced: a new version, the old blob gone, the old URL answers the new picture briefly cached.
    const second = await setAvatar(yan, JPEG, 'image/jpeg');
    expect(second.done.body.avatar).toBe(second.id);
    expect(second.id).not.toBe(first.id);
    expect(await storedAvatars(yan)).toEqual([`${encodeURIComponent(yan.id)}/${second.id}`]);
    const stale = await avatarOf(viewer, yan, { v: first.id }, { 'if-none-match': `"${first.id}"` });
    expect(stale.status).toBe(200);
    expect(stale.headers).toMatchObject({ 'content-type': 'image/jpeg', 'cache-control': SHORT_CACHE });

    // Deleted: told once, nothing left in the container, the route answers 404.
    const deleted = await call<Answer>(changeAvatar, 'DELETE', 'me/avatar', { user: yan });
    expect(deleted.status).toBe(200);
    expect(deleted.body.avatar).toBeUndefined();
    expect(deleted.outputs).toEqual([
      { target: 'profileChanged', arguments: [{ id: yan.id, name: 'Yan', presence: 'offline' }] },
    ]);
    expect(await storedAvatars(yan)).toEqual([]);
    const gone = await avatarOf(viewer, yan, { v: second.id });
    expect(gone.status).toBe(404);
    expect(gone.headers).toMatchObject({ 'cache-control': 'no-store' });
  });

  it('refuses bytes that are not the declared type or size, deleting them; an unknown or unstored upload says so', async () => {
    const ada = person('Ada');
    await signIn(ada);
    // Declared PNG, stored HTML with the PNG type.
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const lying = await askAvatar(ada, { size: html.length, type: 'image/png' });
    expect((await put(lying.body.uploadUrl, html, 'image/png')).status).toBe(201);
    const refused = await complete(ada, lying.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'The avatar is not a image/png file: its contents are of another type (it was deleted: upload the picture again)',
    );
    expect(await storedAvatars(ada)).toEqual([]);
    expect((await complete(ada, lying.body.id)).status).toBe(404);

    // Declared 100 bytes, stored 128.
    const short = await askAvatar(ada, { size: 100, type: 'image/png' });
    expect((await put(short.body.uploadUrl, PNG, 'image/png')).status).toBe(201);
    const wrongSize = await complete(ada, short.body.id);
    expect(wrongSize.status).toBe(409);
    expect(wrongSize.body.error.message).toContain('stored with 128 bytes, not the 100 declared');
    expect(await storedAvatars(ada)).toEqual([]);

    // Not PUT yet: 409, kept (the PUT may come).
    const early = await askAvatar(ada, { size: PNG.length, type: 'image/png' });
    const notYet = await complete(ada, early.body.id);
    expect(notYet).toMatchObject({
      status: 409,
      body: { error: { message: 'The avatar is not stored yet: upload it first' } },
    });
    // Someone else's upload id is nobody's for them.
    const other = person('Bo');
    await signIn(other);
    expect((await complete(other, early.body.id)).status).toBe(404);
    expect((await complete(ada, 'not-an-upload')).status).toBe(404);
    expect((await complete(ada, 'bad id!')).status).toBe(400);

    // A new upload drops the pending one (its blob too, if it was PUT).
    expect((await put(early.body.uploadUrl, PNG, 'image/png')).status).toBe(201);
    const next = await askAvatar(ada, { size: PNG.length, type: 'image/png' });
    expect(next.status).toBe(201);
    expect(await storedAvatars(ada)).toEqual([]);
    expect((await complete(ada, early.body.id)).status).toBe(404);
  });

  it('refuses oversized, non-image and vector avatars before any write URL', async () => {
    const cy = person('Cy');
    await signIn(cy);
    const big = await askAvatar(cy, { size: MAX_AVATAR_BYTES + 1, type: 'image/png' });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(big.body.error.message).toBe('An avatar is at most 256 KB once resized: crop and resize it first');
    for (const type of ['image/svg+xml', 'text/html', 'image/gif']) {
      const refused = await askAvatar(cy, { size: 10, type });
      expect({ type, status: refused.status, message: refused.body.error.message }).toEqual({
        type,
        status: 400,
        message: 'type must be one of image/png, image/jpeg, image/webp',
      });
    }
    expect((await askAvatar(cy, { size: 0, type: 'image/png' })).status).toBe(400);
  });
});

describe('the profile rate limit', () => {
  it(`allows ${PROFILE_RATE_LIMIT.max} changes a minute over profile, status and avatar, then 429 with Retry-After`, async () => {
    const dee = person('Dee');
    await signIn(dee);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await patch(dee, { about: `take ${i}` })).status);
    for (let i = 0; i < 4; i++) statuses.push((await putStatus(dee, { text: `take ${i}` })).status);
    statuses.push((await askAvatar(dee, { size: PNG.length, type: 'image/png' })).status);
    statuses.push((await call(changeAvatar, 'DELETE', 'me/avatar', { user: dee })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 201, 200]);
    const refused = await patch(dee, { about: 'one too many' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number((refused.headers as Record<string, string>)['retry-after'])).toBeGreaterThan(0);
    expect((await putStatus(dee, { text: 'also refused' })).status).toBe(429);
  });
});

/**
 * People are keyed by identity provider and id: the same platform id from two providers is two
 * people (names, memberships, DMs, SignalR deliveries apart), while people of the app's own
 * sign-in provider keep the platform's id, so rows stored before the rule still read. Against
 * Azurite and our SignalR emulator with the real `@microsoft/signalr` client.
 */
import { randomUUID } from 'node:crypto';

import { deliverSignalROutput } from '@hubbub/functions-host';

import type { RoomList } from '../contract';
import { clientToken, waitFor } from '../packages/signalr-emulator/src/testing/helpers';
import { postDm } from './direct-messages';
import { findUser, rememberUser } from './domain/people/people-store';
import { addMember } from './domain/rooms/membership-changes';
import { isMember } from './domain/rooms/memberships-store';
import { createRoom } from './domain/rooms/rooms-store';
import { postJoin } from './join-room';
import { me } from './me';
import { negotiate } from './negotiate';
import { hubbubUserId, LOGIN_PROVIDER_SETTING, type Principal } from './platform/http/identity';
import { withErrors } from './platform/http/with-errors';
import { tokenForUser } from './platform/signalr/client-token';
import { connectionInfo, signalROut } from './platform/signalr/signalr';
import { getRooms } from './rooms';
import { call } from './testing/calls';
import { useLiveStack } from './testing/live-stack';
import { invocation, request, type RequestOptions } from './testing/requests';

const stack = useLiveStack();

/** A platform principal of `provider` (the app's own provider is `dev` here). */
const through = (provider: string, user: Principal): RequestOptions => ({
  user,
  headers: { 'x-ms-client-principal-idp': provider },
});

/** Negotiates as the local host's binding would answer: a token naming the platform's id. */
async function negotiateAs(provider: string, user: Principal): Promise<{ status: number; accessToken: string }> {
  const context = invocation('negotiate');
  const url = `${stack.emulator.url}/client/?hub=chat`;
  context.extraInputs.set(connectionInfo, { url, accessToken: clientToken(user.id) });
  const response = await withErrors(negotiate)(request('POST', 'negotiate', through(provider, user)), context);
  return { status: response.status ?? 200, accessToken: (response.jsonBody as { accessToken: string }).accessToken };
}

describe('user ids', () => {
  it("keep the app's own provider's ids as they are, and give every other provider's its name", () => {
    expect(hubbubUserId('dev', 'dev-0123')).toBe('dev-0123');
    expect(hubbubUserId('github', 'dev-0123')).toBe('github|dev-0123');
    expect(hubbubUserId('GitHub', '12345')).toBe('github|12345');
    // An id of the app's provider that holds a `|` is prefixed too: it could be another provider's.
    expect(hubbubUserId('dev', 'github|12345')).toBe('dev|github|12345');
    process.env[LOGIN_PROVIDER_SETTING] = 'aad';
    try {
      expect(hubbubUserId('aad', '8f3c-guid')).toBe('8f3c-guid');
      expect(hubbubUserId('dev', 'dev-0123')).toBe('dev|dev-0123');
    } finally {
      delete process.env[LOGIN_PROVIDER_SETTING];
    }
  });

  it('refuses a provider name that could not be told apart (400), and an id too long with its provider', async () => {
    const user = { id: 'x-1', name: 'X' };
    for (const provider of ['a|b', '', ' ', 'a b']) {
      const response = await call(me, 'GET', 'me', through(provider, user));
      expect({ provider, status: response.status }).toEqual({ provider, status: 400 });
    }
    const long = await call(me, 'GET', 'me', through('github', { id: 'x'.repeat(250), name: 'Long' }));
    expect(long.status).toBe(400);
  });
});

describe("negotiate's token for another provider's person", () => {
  it("is the binding's with the user claim replaced, and refuses what it cannot sign", () => {
    const key = stack.emulator.connectionString;
    const bound = clientToken('12345');
    const [header, , signature] = bound.split('.');
    const given = tokenForUser(bound, 'github|12345', key).split('.');
    expect(given[0]).toBe(header);
    expect(given[2]).not.toBe(signature);
    expect(tokenForUser(bound, '12345', key)).toBe(bound);
    expect(() => tokenForUser(bound, 'github|12345', 'Endpoint=http://localhost;Version=1.0;')).toThrow(/AccessKey/);
    expect(() => tokenForUser(clientToken('1', 'chat', {}, undefined, 'HS512'), 'x|1', key)).toThrow(/HS256/);
    expect(() => tokenForUser('not-a-jwt', 'x|1', key)).toThrow(/not a JWT/);
  });
});

describe('the same id from two providers', () => {
  it('is two people: names, memberships and a DM between them', async () => {
    const id = `dev-uk-${randomUUID().slice(0, 8)}`;
    const devX = { id, name: 'Dev X' };
    const hubX = { id, name: 'Hub X' };
    expect((await negotiateAs('dev', devX)).status).toBe(200);
    expect((await negotiateAs('github', hubX)).status).toBe(200);
    expect((await call(me, 'GET', 'me', through('dev', devX))).body).toEqual({ id, name: 'Dev X' });
    expect((await call(me, 'GET', 'me', through('github', hubX))).body).toEqual({ id: `github|${id}`, name: 'Hub X' });
    expect(await findUser(id)).toEqual({ id, name: 'Dev X' });
    expect(await findUser(`github|${id}`)).toEqual({ id: `github|${id}`, name: 'Hub X' });

    const room = `uk-${randomUUID().slice(0, 8)}`;
    expect(await createRoom(room, { id: 'dev-uk-owner', name: 'Owner' })).toBe(true);
    const joined = await call(postJoin, 'POST', `rooms/${room}/join`, { ...through('github', hubX), params: { room } });
    expect(joined.status).toBe(200);
    expect(await isMember(room, `github|${id}`)).toBe(true);
    expect(await isMember(room, id)).toBe(false);

    const dm = await call<{ name: string; members: Principal[] }>(postDm, 'POST', 'dms', {
      ...through('dev', devX),
      body: { userId: `github|${id}` },
    });
    expect(dm.status).toBe(200);
    expect(dm.body.members.map((m) => m.id).sort()).toEqual([id, `github|${id}`].sort());
  }, 30_000);

  it('is two SignalR users: a delivery to one never reaches the other', async () => {
    const id = `dev-uk-${randomUUID().slice(0, 8)}`;
    const [dev, hub] = await Promise.all([
      negotiateAs('dev', { id, name: 'Dev Y' }),
      negotiateAs('github', { id, name: 'Hub Y' }),
    ]);
    const uidOf = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>)[
        'asrs.s.uid'
      ];
    expect([uidOf(dev.accessToken), uidOf(hub.accessToken)]).toEqual([id, `github|${id}`]);
    const received: Record<'dev' | 'hub', string[]> = { dev: [], hub: [] };
    for (const [who, token] of [
      ['dev', dev.accessToken],
      ['hub', hub.accessToken],
    ] as const) {
      const connection = await stack.connectWith(token);
      connection.on('probe', (text: string) => received[who].push(text));
    }
    const send = (userId: string, text: string) =>
      deliverSignalROutput(signalROut, [{ target: 'probe', arguments: [text], userId }]);
    await send(`github|${id}`, 'for hub');
    await send(id, 'for dev');
    await waitFor(() => received.dev.length > 0 && received.hub.length > 0, 5000, 'both deliveries');
    expect(received).toEqual({ dev: ['for dev'], hub: ['for hub'] });
  }, 30_000);
});

describe('rows stored before ids carried the provider', () => {
  it("still read for the app's own provider's people: name, rooms, membership", async () => {
    const id = `dev-old-${randomUUID().slice(0, 8)}`;
    const room = `old-${randomUUID().slice(0, 8)}`;
    // Written as before: keyed by the platform's id alone.
    await rememberUser({ id, name: 'Old Timer' });
    expect(await createRoom(room, { id: 'dev-old-owner', name: 'Owner' })).toBe(true);
    await addMember(room, { id, name: 'Old Timer' });

    const self = await call(me, 'GET', 'me', through('dev', { id, name: 'Old Timer' }));
    expect(self.body).toEqual({ id, name: 'Old Timer' });
    const rooms = await call<RoomList>(getRooms, 'GET', 'rooms', through('dev', { id, name: 'Old Timer' }));
    expect(rooms.body.rooms.find((r) => r.name === room)).toMatchObject({ joined: true });
    // The same id through another provider is someone else, with none of it.
    // (Found by name: the shared Azurite holds every suite's rooms, more than a first page.)
    const other = await call<RoomList>(getRooms, 'GET', 'rooms', {
      ...through('github', { id, name: 'Other' }),
      query: { query: room },
    });
    expect(other.body.rooms.find((r) => r.name === room)).toMatchObject({ joined: false });
  }, 30_000);
});

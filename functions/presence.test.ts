/**
 * Presence with an expiry: online means a connection seen within PRESENCE_TTL_MS, stale rows are
 * cleared, and losing every disconnect (a SignalR Service restart) converges without a timer.
 */
import { PRESENCE_TTL_MS } from '../contract';
import { connected } from './domain/connections/connected';
import { disconnected } from './domain/connections/disconnected';
import { rememberUser } from './domain/people/people-store';
import { SWEEP_INTERVAL_MS } from './domain/presence/presence-store';
import type { Principal } from './platform/http/identity';
import { type HttpHandler, withErrors } from './platform/http/with-errors';
import { signalROut } from './platform/signalr/signalr';
import { table } from './platform/storage/tables';
import { postHeartbeat } from './presence-heartbeat';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { connectedOutputFor, invocation, request, type RequestOptions } from './testing/requests';
import { useTestClock } from './testing/test-clock';
import { getUsers } from './users';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await azurite.stop();
});

const clock = useTestClock(Date.UTC(2030, 0, 1));

const call = async (handler: HttpHandler, method: string, path: string, options: RequestOptions = {}) => {
  const context = invocation(path);
  const response = await withErrors(handler)(request(method, path, options), context);
  return {
    status: response.status,
    body: response.jsonBody as { users: { id: string; online: boolean }[] },
    outputs: context.extraOutputs.get(signalROut) as unknown[] | undefined,
  };
};

const people: Principal[] = ['ed', 'flo', 'gus'].map((n) => ({ id: `dev-pres-${n}`, name: `Pres ${n}` }));
const [ed, flo, gus] = people as [Principal, Principal, Principal];

async function onlineOf(user: Principal): Promise<boolean | undefined> {
  const list = await call(getUsers, 'GET', 'users', { user: ed, query: { query: 'pres', limit: '100' } });
  return list.body.users.find((u) => u.id === user.id)?.online;
}

const presence = (user: Principal, online: boolean) => ({
  target: 'presence',
  arguments: [{ user, online, state: online ? 'active' : 'offline' }],
});

describe('presence with an expiry', () => {
  beforeAll(async () => {
    for (const user of people) await rememberUser(user);
  });

  it('a SignalR Service restart that loses every disconnect converges: stale people go offline within a minute', async () => {
    // Everyone connects; then the service restarts: no disconnect is ever delivered.
    for (const user of people)
      await connected({ ConnectionId: `${user.id}-c1`, UserId: user.id }, invocation('connected'));
    for (const user of people) expect(await onlineOf(user)).toBe(true);

    // Ed's browser reconnects to the restarted service and keeps heart-beating; Flo and Gus are gone.
    clock.advance(5_000);
    const back = invocation('connected');
    await connected({ ConnectionId: `${ed.id}-c2`, UserId: ed.id }, back);
    // Still within the TTL: no presence storm for a reconnect.
    expect((connectedOutputFor(back, ed.id) ?? []).filter((a) => (a as { target?: string }).target)).toEqual([]);
    const announced: unknown[] = [];
    for (let t = 0; t < 3; t++) {
      clock.advance(15_000);
      const beat = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: ed, body: {} });
      expect(beat.status).toBe(204);
      announced.push(...(beat.outputs ?? []));
    }
    // 50 s after the restart the lists say the truth, and a sweep (at most one per
    // SWEEP_INTERVAL_MS, riding on a heartbeat: no timer) has told everyone.
    expect(await onlineOf(ed)).toBe(true);
    expect(await onlineOf(flo)).toBe(false);
    expect(await onlineOf(gus)).toBe(false);
    expect(announced).toEqual(expect.arrayContaining([presence(flo, false), presence(gus, false)]));
    expect(announced).not.toEqual(expect.arrayContaining([presence(ed, false)]));
    expect(announced.filter((a) => JSON.stringify(a) === JSON.stringify(presence(flo, false)))).toHaveLength(1);
  });

  it('a sweep announces offline exactly those who stopped being seen, and clears their rows', async () => {
    const hal: Principal = { id: 'dev-pres-hal', name: 'Pres hal' };
    await rememberUser(hal);
    await connected({ ConnectionId: 'hal-1', UserId: hal.id }, invocation('connected'));
    clock.advance(PRESENCE_TTL_MS + SWEEP_INTERVAL_MS);
    // Ed heart-beats (alive); the sweep that rides on it finds Hal stale.
    const beat = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: ed, body: {} });
    expect(beat.status).toBe(204);
    expect(beat.outputs).toEqual(expect.arrayContaining([presence(hal, false)]));
    expect(beat.outputs).not.toEqual(expect.arrayContaining([presence(ed, false)]));
    const client = await table('presence');
    const rows: { rowKey?: string; announced?: string }[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq 'u_${hal.id}'` } }))
      rows.push(row);
    // No connection row left; the row of the state last announced stays, saying offline.
    expect(rows).toEqual([expect.objectContaining({ rowKey: '~state', announced: 'offline' })]);
    // A second heartbeat straight after runs no sweep (the lease is held).
    const again = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: ed, body: {} });
    expect(again.outputs).toBeUndefined();
  });

  it('a heartbeat with no connection row left (lost connected event) brings the person online', async () => {
    const ivy: Principal = { id: 'dev-pres-ivy', name: 'Pres ivy' };
    await rememberUser(ivy);
    expect(await onlineOf(ivy)).toBe(false);
    const beat = await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: ivy, body: {} });
    expect(beat.outputs).toEqual(expect.arrayContaining([presence(ivy, true)]));
    expect(await onlineOf(ivy)).toBe(true);
    clock.advance(PRESENCE_TTL_MS);
    expect(await onlineOf(ivy)).toBe(false);
  });

  it('disconnect of the last live connection announces offline; a stale sibling does not keep anyone online', async () => {
    const jo: Principal = { id: 'dev-pres-jo', name: 'Pres jo' };
    await rememberUser(jo);
    await connected({ ConnectionId: 'jo-old', UserId: jo.id }, invocation('connected'));
    clock.advance(PRESENCE_TTL_MS + 1);
    const fresh = invocation('connected');
    await connected({ ConnectionId: 'jo-new', UserId: jo.id }, fresh);
    // The old row had expired: this is a real "came online".
    expect(fresh.extraOutputs.get(signalROut)).toEqual(expect.arrayContaining([presence(jo, true)]));
    const gone = invocation('disconnected');
    await disconnected({ ConnectionId: 'jo-new', UserId: jo.id }, gone);
    expect(gone.extraOutputs.get(signalROut)).toEqual([presence(jo, false)]);
    expect(await onlineOf(jo)).toBe(false);
  });

  it('refuses heartbeats beyond HEARTBEAT_RATE_LIMIT with 429', async () => {
    const kim: Principal = { id: 'dev-pres-kim', name: 'Pres kim' };
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push((await call(postHeartbeat, 'POST', 'presence/heartbeat', { user: kim, body: {} })).status ?? 0);
    }
    expect(statuses.filter((s) => s === 204)).toHaveLength(12);
    expect(statuses.slice(12)).toEqual([429, 429]);
  });
});

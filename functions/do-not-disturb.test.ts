/**
 * Do not disturb, against Azurite: on until a time in the future (at most 7 days), off by DELETE or
 * by itself once that time passes; a past or malformed time is a 400 that says what is wrong.
 */
import { randomUUID } from 'node:crypto';

import { changeDoNotDisturb } from './do-not-disturb';
import { doNotDisturbOf, doNotDisturbUntil } from './domain/presence/do-not-disturb';
import type { Principal } from './platform/http/identity';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const person = (): Principal => ({ id: `dev-dnd-${randomUUID().slice(0, 8)}`, name: 'Dee' });
const put = (user: Principal, body: unknown) =>
  call<{ until?: string; error?: { message: string } }>(changeDoNotDisturb, 'PUT', 'me/do-not-disturb', { user, body });

describe('do not disturb', () => {
  it('is on until the time given, and off after DELETE', async () => {
    const dee = person();
    const until = new Date(Date.now() + 60 * 60_000).toISOString();
    expect(await put(dee, { until })).toMatchObject({ status: 200, body: { until } });
    expect(await doNotDisturbUntil(dee.id)).toBe(until);
    expect((await call(changeDoNotDisturb, 'DELETE', 'me/do-not-disturb', { user: dee })).status).toBe(204);
    expect(await doNotDisturbUntil(dee.id)).toBeUndefined();
    expect((await call(changeDoNotDisturb, 'DELETE', 'me/do-not-disturb', { user: dee })).status).toBe(204);
  });

  it('reads as off once its time has passed', async () => {
    const dee = person();
    const other = person();
    const until = new Date(Date.now() + 60_000).toISOString();
    await put(dee, { until });
    expect(await doNotDisturbOf([dee.id, other.id])).toEqual(new Set([dee.id]));
    expect(await doNotDisturbOf([dee.id, other.id], Date.now() + 2 * 60_000)).toEqual(new Set());
  });

  it('refuses a past, too distant or malformed time with what is wrong', async () => {
    const dee = person();
    const past = await put(dee, { until: new Date(Date.now() - 1000).toISOString() });
    expect(past).toMatchObject({ status: 400, body: { error: { message: 'until must be in the future' } } });
    const far = await put(dee, { until: new Date(Date.now() + 8 * 24 * 60 * 60_000).toISOString() });
    expect(far).toMatchObject({ status: 400, body: { error: { message: 'do not disturb lasts at most 7 days' } } });
    const bad = await put(dee, { until: 'tomorrow' });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: 'until must be an ISO time' } } });
    expect(await doNotDisturbUntil(dee.id)).toBeUndefined();
  });
});

/**
 * POST /api/messages past a room's capacity: many sends to one room at once, through several
 * Functions instances (each its own copy of the modules, so they race for the room's counter as
 * instances do), answer 201 or 503 with Retry-After — never 500 — and every 201's message is
 * stored exactly once; sending the refused ones again stores them too, so nothing is lost.
 */
import { randomUUID } from 'node:crypto';

import { RestError, TableClient } from '@azure/data-tables';
import type { HttpResponseInit } from '@azure/functions';

import { addMember } from './domain/rooms/membership-changes';
import { createRoom } from './domain/rooms/rooms-store';
import { postMessage } from './messages';
import { withErrors } from './platform/http/with-errors';
import { odata, table } from './platform/storage/tables';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { alice, invocation, request } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

type Handler = typeof postMessage;

/**
 * Another Functions instance: its own module state (counters, turns, table clients), behind its own
 * error boundary — the boundary must be that instance's copy, as its errors' classes are.
 */
function instance(): Handler {
  let handler!: Handler;
  jest.isolateModules(() => {
    const { postMessage: post } = jest.requireActual<typeof import('./messages')>('./messages');
    const { withErrors: boundary } =
      jest.requireActual<typeof import('./platform/http/with-errors')>('./platform/http/with-errors');
    handler = boundary(post);
  });
  return handler;
}

const people = Array.from({ length: 40 }, (_, i) => ({ id: `crowd-${i}`, name: `Crowd ${i}` }));

async function rowsOf(room: string, id: string): Promise<string[]> {
  const client = await table('messages');
  const keys: string[] = [];
  const filter = `PartitionKey eq '${odata(room)}' and (id eq '${odata(id)}' or RowKey eq 'id_${odata(id)}')`;
  for await (const row of client.listEntities({ queryOptions: { filter, select: ['RowKey'] } }))
    keys.push(row.rowKey ?? '');
  return keys.map((k) => (k.startsWith('id_') ? 'id_' : k.replace(/\d+$/, '#'))).sort();
}

function expectBusyOrCreated(response: HttpResponseInit): void {
  if (response.status === 503) {
    expect(Number(response.headers && (response.headers as Record<string, string>)['retry-after'])).toBeGreaterThan(0);
  } else {
    expect(response.status).toBe(201);
  }
}

describe('POST /api/messages under contention', () => {
  it('answers 40 sends at once to one room, through 4 instances, with 201 or 503 + Retry-After, each 201 stored once', async () => {
    const room = `crowd-${randomUUID().slice(0, 8)}`;
    await createRoom(room, alice);
    await Promise.all(people.map((p) => addMember(room, p)));
    const instances = [instance(), instance(), instance(), instance()];
    const bodies = people.map((p, i) => ({ user: p, body: { id: randomUUID(), room, text: `at once ${i}` } }));
    const send = (handler: Handler, { user, body }: (typeof bodies)[number]) =>
      handler(request('POST', 'messages', { user, body }), invocation('messages'));

    const answers = await Promise.all(bodies.map((b, i) => send(instances[i % instances.length], b)));
    answers.forEach(expectBusyOrCreated);
    const created = bodies.filter((_, i) => answers[i].status === 201);
    expect(created.length).toBeGreaterThan(0);
    for (const { body } of created) expect(await rowsOf(room, body.id)).toEqual(['c_#', 'id_', 'n_#']);

    // The refused are sent again (as the outbox does, after Retry-After) until all are stored: nothing is lost.
    let pending = bodies.filter((_, i) => answers[i].status === 503);
    for (let round = 0; pending.length > 0 && round < 10; round++) {
      const again = await Promise.all(pending.map((b, i) => send(instances[i % instances.length], b)));
      again.forEach(expectBusyOrCreated);
      pending = pending.filter((_, i) => again[i].status === 503);
    }
    expect(pending).toEqual([]);
    const seqs = new Set<number>();
    for (const { body } of bodies) {
      expect(await rowsOf(room, body.id)).toEqual(['c_#', 'id_', 'n_#']);
    }
    const client = await table('messages');
    for await (const row of client.listEntities<{ seq: number }>({
      queryOptions: { filter: `PartitionKey eq '${odata(room)}' and RowKey ge 'c_' and RowKey lt 'c\`'` },
    })) {
      seqs.add(row.seq);
    }
    // The room's order: 40 messages, 40 distinct numbers 1…40.
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  }, 120_000);

  it('answers 503 with Retry-After, not 500, when another writer always gets in first, and stores nothing', async () => {
    const body = { id: randomUUID(), room: 'general', text: 'never first' };
    const spy = jest
      .spyOn(TableClient.prototype, 'submitTransaction')
      .mockRejectedValue(
        new RestError('The update condition specified in the request was not satisfied.', { statusCode: 412 }),
      );
    const context = invocation('messages');
    const warn = jest.spyOn(context, 'warn');
    let response: HttpResponseInit;
    try {
      response = await withErrors(postMessage)(request('POST', 'messages', { user: alice, body }), context);
    } finally {
      spy.mockRestore();
    }
    expect(response.status).toBe(503);
    expect(Number((response.headers as Record<string, string>)['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(response.jsonBody).toMatchObject({ error: { code: 'service_unavailable' } });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('gave up'));
    expect(await rowsOf('general', body.id)).toEqual([]);
    // Sent again once the room is free, it is stored, once.
    const again = await withErrors(postMessage)(
      request('POST', 'messages', { user: alice, body }),
      invocation('messages'),
    );
    expect(again.status).toBe(201);
    expect(await rowsOf('general', body.id)).toEqual(['c_#', 'id_', 'n_#']);
  }, 60_000);
});

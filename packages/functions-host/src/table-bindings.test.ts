import { TableClient } from '@azure/data-tables';

import { startFixtureHost, type TestHost } from './testing/helpers';
import { testStorage, uniqueName } from './testing/wait';

const DOTNET_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;

describe('local Functions host: table input and output', () => {
  const storage = testStorage();
  const table = uniqueName('People');
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('table-app', { values: { PEOPLE: table, TableStorage: storage } });
  });
  afterAll(async () => {
    await host?.close();
  });

  const add = (body: unknown) => fetch(`${host.url}/api/people`, { method: 'POST', body: JSON.stringify(body) });
  const get = async (path: string) => {
    const response = await fetch(`${host.url}/api/${path}`);
    return { status: response.status, body: await response.json() };
  };

  it('gives an empty array for a table that does not exist yet', async () => {
    expect(await get('everyone')).toEqual({ status: 200, body: [] });
  });

  it('inserts an output array and reads one entity back as the extension shapes it', async () => {
    const response = await add([
      { PartitionKey: 'red', RowKey: 'ann', Name: 'Ann', Age: 34, Admin: true },
      { PartitionKey: 'red', RowKey: 'bob', Name: 'Bob', Age: 12 },
      { PartitionKey: 'red', RowKey: 'cy', Name: 'Cy', Age: 51 },
      { PartitionKey: 'red', RowKey: 'di', Name: 'Di', Age: 19 },
      { PartitionKey: 'blue', RowKey: 'eve', Name: 'Eve', Age: 40 },
    ]);
    expect(response.status).toBe(201);
    const ann = await get('people/red/ann');
    expect(ann.status).toBe(200);
    expect(ann.body).toEqual({
      PartitionKey: 'red',
      RowKey: 'ann',
      Timestamp: expect.stringMatching(DOTNET_UTC),
      Name: 'Ann',
      Age: 34,
      Admin: true,
    });
    // What the binding wrote is what the SDK reads.
    const direct = await TableClient.fromConnectionString(storage, table, { allowInsecureConnection: true }).getEntity(
      'blue',
      'eve',
    );
    expect(direct).toMatchObject({ Name: 'Eve', Age: 40 });
  });

  it('answers nothing for a missing entity, so the function can say 404', async () => {
    expect((await get('people/red/nobody')).status).toBe(404);
  });

  it('queries with partitionKey, filter and take', async () => {
    const adults = (await get('people/red')).body as { RowKey: string }[];
    expect(adults).toHaveLength(2);
    for (const person of adults) expect(['ann', 'cy', 'di']).toContain(person.RowKey);
    const everyone = (await get('everyone')).body as unknown[];
    expect(everyone).toHaveLength(5);
  });

  it('takes the row key from the binding when the entity has none', async () => {
    expect((await add({ PartitionKey: 'green', Name: 'Gus', Age: 30 })).status).toBe(201);
    const [gus] = (await get('people/green')).body as { RowKey: string; Name: string }[];
    expect(gus?.Name).toBe('Gus');
    expect(gus?.RowKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails the invocation on an existing key or a nested property, and writes nothing then', async () => {
    const duplicate = await add({ PartitionKey: 'red', RowKey: 'ann', Name: 'Ann again' });
    expect(duplicate.status).toBe(500);
    expect(((await get('people/red/ann')).body as { Name: string }).Name).toBe('Ann');
    const nested = await add({ PartitionKey: 'red', RowKey: 'zed', Name: { first: 'Zed' } });
    expect(nested.status).toBe(500);
    expect((await get('people/red/zed')).status).toBe(404);
    expect(host.logs.some((l) => l.includes("property 'Name' is an object or array"))).toBe(true);
    // The client sees the function's name only, never the binding's details.
    expect(await nested.json()).toEqual({
      error: { code: 'internal', message: 'Exception while executing function: Functions.addPeople' },
    });
  });
});

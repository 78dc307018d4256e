/**
 * Bindings against values injected through the request, on a real host on a free port and the
 * run's Azurite: a value substituted into a table filter stays a value (escaped as the Tables
 * extension does), and a blob path never leaves its container (`.`/`..` segments are refused).
 */
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

import { InvalidFilterValueError, resolveTableFilter } from './bindings/binding-expressions';
import { blobNameProblem } from './bindings/blob-names';
import { parseBlobPattern } from './bindings/blob-trigger';
import { startFixtureHost, type TestHost } from './testing/helpers';
import { testStorage, uniqueName, waitFor } from './testing/wait';

const GENERIC_ERROR = (fn: string) => ({
  error: { code: 'internal', message: `Exception while executing function: Functions.${fn}` },
});

describe('bindings against values injected through the request', () => {
  const storage = testStorage();
  const blobs = BlobServiceClient.fromConnectionString(storage);
  const names = { PEOPLE: uniqueName('People'), NOTES: uniqueName('notes'), DROPS: uniqueName('drops') };
  const secrets = uniqueName('secrets');
  let host: TestHost;

  beforeAll(async () => {
    const people = TableClient.fromConnectionString(storage, names.PEOPLE, { allowInsecureConnection: true });
    await people.createTable();
    for (const [partitionKey, age] of [
      ['alice', 30],
      ['bob', 40],
      ["o'neil", 50],
    ] as const) {
      await people.createEntity({ partitionKey, rowKey: '1', Age: age, Secret: `${partitionKey}'s secret` });
    }
    await blobs.getContainerClient(names.NOTES).create();
    await blobs.getContainerClient(names.NOTES).getBlockBlobClient('hello').uploadData(Buffer.from('hi there'));
    await blobs.getContainerClient(secrets).create();
    await blobs.getContainerClient(secrets).getBlockBlobClient('key').uploadData(Buffer.from('top secret'));
    await blobs.getContainerClient(names.DROPS).create();
    host = await startFixtureHost('hostile-app', { values: { ...names, AzureWebJobsStorage: storage } });
  });
  afterAll(async () => {
    await host?.close();
  });

  const get = async (path: string) => {
    const response = await fetch(`${host.url}/api/${path}`);
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as unknown };
  };
  const partitionsOf = (rows: unknown) => (rows as { PartitionKey: string }[]).map((r) => r.PartitionKey);

  describe("table filter `PartitionKey eq '{query.pk}'`", () => {
    it('reads the one partition named', async () => {
      const alice = await get('people/by-team?pk=alice');
      expect(alice.status).toBe(200);
      expect(partitionsOf(alice.json())).toEqual(['alice']);
    });

    it("keeps an injected `' or PartitionKey ne 'x` inside the string: no rows, not every row", async () => {
      for (const pk of ["alice' or PartitionKey ne 'x", "x' or true or 'x' eq 'x", "') or (PartitionKey ne '"]) {
        const result = await get(`people/by-team?pk=${encodeURIComponent(pk)}`);
        expect([pk, result.status, result.json()]).toEqual([pk, 200, []]);
      }
    });

    it('doubles the quote, so a key with a quote in it is found', async () => {
      const oneil = await get(`people/by-team?pk=${encodeURIComponent("o'neil")}`);
      expect(oneil.status).toBe(200);
      expect(oneil.json()).toMatchObject([{ PartitionKey: "o'neil", Secret: "o'neil's secret" }]);
    });
  });

  describe('table filter `Age gt {query.age}` (no quotes)', () => {
    it('takes a number', async () => {
      const older = await get('people/older-than?age=35');
      expect(older.status).toBe(200);
      expect(partitionsOf(older.json()).sort()).toEqual(['bob', "o'neil"]);
    });

    it('fails the invocation on anything but a number or true/false, as the extension does', async () => {
      for (const age of ['0 or true', '1) or (true', "0 or PartitionKey ne ''", '']) {
        const result = await get(`people/older-than?age=${encodeURIComponent(age)}`);
        expect([age, result.status, result.json()]).toEqual([age, 500, GENERIC_ERROR('olderThan')]);
      }
      expect(
        host.logs.some((l) => l.includes("An invalid parameter value was specified for filter parameter 'query.age'")),
      ).toBe(true);
    });
  });

  describe('blob path `%NOTES%/{query.name}`', () => {
    it('reads and writes inside the container', async () => {
      expect(await get('notes?name=hello')).toMatchObject({ status: 200, text: 'hi there' });
      const saved = await fetch(`${host.url}/api/notes?name=${encodeURIComponent('a/b.txt')}`, {
        method: 'POST',
        body: 'nested',
      });
      expect(saved.status).toBe(201);
      expect((await blobs.getContainerClient(names.NOTES).getBlobClient('a/b.txt').downloadToBuffer()).toString()).toBe(
        'nested',
      );
    });

    const climbs = (container: string) => [
      `../${container}/key`,
      `./../${container}/key`,
      `x/../../${container}/key`,
      `%2e%2e/${container}/key`,
      `%2E%2e/${container}/key`,
      `.%2e/${container}/key`,
      `%252e%252e/${container}/key`,
      `..%2F${container}%2Fkey`,
      `..\\${container}\\key`,
      './hello',
      'x/./hello',
    ];

    it('refuses `.` and `..` segments, also percent-encoded, for input: the invocation fails and nothing is read', async () => {
      for (const name of climbs(secrets)) {
        const result = await get(`notes?name=${encodeURIComponent(name)}`);
        expect([name, result.status, result.json()]).toEqual([name, 500, GENERIC_ERROR('readNote')]);
        expect(result.text).not.toContain('top secret');
        expect(result.text).not.toContain('hi there');
      }
      expect(host.logs.some((l) => l.includes("Exception binding parameter '") && l.includes('segment'))).toBe(true);
    });

    it('refuses them for output: the invocation fails and nothing is written anywhere', async () => {
      for (const name of climbs(secrets).map((n) => n.replace(/key$/, 'planted'))) {
        const saved = await fetch(`${host.url}/api/notes?name=${encodeURIComponent(name)}`, {
          method: 'POST',
          body: 'planted',
        });
        expect([name, saved.status]).toEqual([name, 500]);
        expect(await saved.json()).toEqual(GENERIC_ERROR('saveNote'));
      }
      const planted: string[] = [];
      for (const container of [secrets, names.NOTES]) {
        for await (const blob of blobs.getContainerClient(container).listBlobsFlat()) {
          if (blob.name.includes('planted')) planted.push(`${container}/${blob.name}`);
        }
      }
      expect(planted).toEqual([]);
    });
  });

  it('refuses a `..` segment a blob trigger puts into an output path, logging the failed invocation', async () => {
    // `x/...txt` is a fine blob name; its {name} is `x/..`, so the output path `%NOTES%/{name}/copy` climbs.
    await blobs.getContainerClient(names.DROPS).getBlockBlobClient('x/...txt').uploadData(Buffer.from('dropped'));
    await blobs.getContainerClient(names.DROPS).getBlockBlobClient('fine.txt').uploadData(Buffer.from('fine'));
    await waitFor(
      () => host.logs.find((l) => l.includes("Executed 'Functions.onDrop' (Failed") && l.includes('x/...txt')),
      'the failed onDrop invocation in the log',
    );
    await waitFor(
      async () => blobs.getContainerClient(names.NOTES).getBlobClient('fine/copy').exists(),
      'the fine blob copied',
    );
    const copies: string[] = [];
    for await (const blob of blobs.getContainerClient(names.NOTES).listBlobsFlat()) {
      if (blob.name.endsWith('copy')) copies.push(blob.name);
    }
    expect(copies).toEqual(['fine/copy']);
  }, 20_000);
});

describe('resolveTableFilter, case by case as the extension’s TableFilterFormatterTests', () => {
  const data = (query: Record<string, string>) => ({ query: new URLSearchParams(query), env: {} });

  it.each([
    ["Name eq '{query.name}'", { name: "x' or 'x' eq 'x" }, "Name eq 'x'' or ''x'' eq ''x'"],
    ["'{query.name}' eq Name", { name: "x' or 'x' eq 'x" }, "'x'' or ''x'' eq ''x' eq Name"],
    [
      "(Age gt {query.age}) and (Name eq '{query.name}')",
      { age: '35', name: "O'Malley" },
      "(Age gt 35) and (Name eq 'O''Malley')",
    ],
    ["ID eq guid'{query.id}'", { id: "invalid'value" }, "ID eq guid'invalid''value'"],
    ['{query.filter}', { filter: "Name eq 'Curly' or true" }, "Name eq 'Curly' or true"],
    [
      'Admin eq {query.admin} and Score le {query.score}',
      { admin: 'True', score: '-1.5e3' },
      'Admin eq True and Score le -1.5e3',
    ],
  ])('%s with %j is %s', (template, query, expected) => {
    expect(resolveTableFilter(template, data(query))).toBe(expected);
  });

  it.each([
    ['Age gt {query.age}', { age: '25 or true' }],
    ['{query.age} lt Age', { age: '25 or true' }],
    ['day({query.d}) eq 8', { d: 'BirthDate) ne 8 or day(BirthDate' }],
    ["Age eq '{query.age}' or Age eq {query.age}", { age: '25 or true' }],
    ['Age gt {query.age}', { age: '' }],
  ])('refuses %s with %j', (template, query) => {
    expect(() => resolveTableFilter(template, data(query))).toThrow(InvalidFilterValueError);
  });
});

describe('blob names and trigger paths', () => {
  it.each(['..', '.', 'a/../b', 'a/./b', '%2e%2e/b', '.%2E/b', '%252e%252e/b', 'a%2F..%2Fb', 'a\\b', 'a.', 'a/', ''])(
    'refuses the blob name %j',
    (name) => expect(blobNameProblem(name)).toBeDefined(),
  );

  it.each(['a', 'a/b.txt', '...txt', 'x/...y', 'a..b/c', '.hidden', 'dir/.env', '100%', '%zz', 'été/日本.txt'])(
    'accepts the blob name %j',
    (name) => expect(blobNameProblem(name)).toBeUndefined(),
  );

  it('refuses a trigger path with a dot segment or a container that is not a container name', () => {
    expect(() => parseBlobPattern('uploads/../secrets/{name}', {})).toThrow(/'\.' or '\.\.' path segment/);
    expect(() => parseBlobPattern('uploads/.%2E/{name}', {})).toThrow(/'\.' or '\.\.' path segment/);
    expect(() => parseBlobPattern('../{name}', {})).toThrow(/Invalid container name/);
    expect(() => parseBlobPattern('up_loads/{name}', {})).toThrow(/Invalid container name/);
    expect(parseBlobPattern('uploads/{dir}/{name}.txt', {}).match('x/...txt')).toEqual({ dir: 'x', name: '..' });
  });
});

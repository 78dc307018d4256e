import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

import { parseBlobPattern } from './bindings/blob-trigger';
import { startFixtureHost, type TestHost } from './testing/helpers';
import { testStorage, uniqueName, waitFor } from './testing/wait';

interface UploadSeen {
  isBuffer: boolean;
  text: string;
  triggerMetadata: Record<string, unknown>;
  note: { isBuffer: boolean; text: string } | null;
}

describe('local Functions host: blob trigger, input and output', () => {
  const storage = testStorage();
  const blobs = BlobServiceClient.fromConnectionString(storage);
  const names = {
    UPLOADS: uniqueName('up'),
    PROCESSED: uniqueName('done'),
    BAD: uniqueName('bad'),
    COPIES: uniqueName('copy'),
  };
  let host: TestHost;

  beforeAll(async () => {
    await blobs.getContainerClient(names.UPLOADS).create();
    await blobs.getContainerClient(names.BAD).create();
    // A blob that was there before the host started runs too, as with the extension's first scan.
    await blobs.getContainerClient(names.UPLOADS).getBlockBlobClient('early.txt').uploadData(Buffer.from('early bird'));
    host = await startFixtureHost('blob-app', { values: { ...names, AzureWebJobsStorage: storage } });
  });
  afterAll(async () => {
    await host?.close();
  });

  const uploads = async () =>
    ((await (await fetch(`${host.url}/api/seen`)).json()) as { uploads: UploadSeen[] }).uploads;
  const container = (name: string) => blobs.getContainerClient(name);
  const text = async (containerName: string, blob: string) =>
    (await container(containerName).getBlobClient(blob).downloadToBuffer()).toString('utf8');
  const upload = (blob: string, content: string) =>
    container(names.UPLOADS).getBlockBlobClient(blob).uploadData(Buffer.from(content));

  it('runs for a blob already there at startup', async () => {
    await waitFor(async () => (await uploads()).some((u) => u.text === 'early bird'), 'the early blob');
  });

  it('hands the function the blob as a Buffer with its metadata, the {name} input, and writes the outputs', async () => {
    await upload('hello.note', 'a note');
    await upload('hello.txt', 'hello world');
    const entry = await waitFor(async () => (await uploads()).find((u) => u.text === 'hello world'), 'the upload');
    expect(entry.isBuffer).toBe(true);
    expect(entry.note).toEqual({ isBuffer: true, text: 'a note' });
    const meta = entry.triggerMetadata;
    expect(meta['name']).toBe('hello');
    expect(meta['blobTrigger']).toBe(`${names.UPLOADS}/hello.txt`);
    expect(meta['uri']).toBe(container(names.UPLOADS).getBlobClient('hello.txt').url);
    expect(meta['properties']).toMatchObject({ contentLength: 11, blobType: 'Block', eTag: expect.any(String) });
    expect(meta['metadata']).toEqual({});
    expect(meta['sys']).toMatchObject({ methodName: 'onUpload' });
    // Outputs are written after the handler returns. Object output → JSON text; a string with {DateTime} in its path.
    const latest = await waitFor(
      () => text(names.PROCESSED, 'latest/hello').catch(() => undefined),
      'the latest/hello output',
    );
    expect(JSON.parse(latest)).toEqual({ name: 'hello', length: 11 });
    const outputs: string[] = [];
    for await (const item of container(names.PROCESSED).listBlobsFlat({ prefix: 'hello-' })) outputs.push(item.name);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatch(/^hello-\d{4}-\d\d-\d\dT.*\.out$/);
    expect(await text(names.PROCESSED, outputs[0] ?? '')).toBe('HELLO WORLD');
  });

  it('gives the input binding nothing when its blob does not exist', async () => {
    await upload('lonely.txt', 'no note');
    const entry = await waitFor(async () => (await uploads()).find((u) => u.text === 'no note'), 'the lonely upload');
    expect(entry.note).toBeNull();
  });

  it('runs once per blob version, leaves a receipt, and ignores names outside the pattern', async () => {
    await upload('once.txt', 'version 1');
    await upload('picture.png', 'not text');
    await waitFor(async () => (await uploads()).some((u) => u.text === 'version 1'), 'version 1');
    await waitFor(async () => {
      for await (const item of container('azure-webjobs-hosts').listBlobsFlat({ prefix: 'blobreceipts/' })) {
        if (item.name.endsWith(`/${names.UPLOADS}/once.txt`) && item.name.includes('/Host.Functions.onUpload/'))
          return true;
      }
      return false;
    }, 'the receipt');
    await upload('once.txt', 'version 2');
    await waitFor(async () => (await uploads()).some((u) => u.text === 'version 2'), 'version 2');
    const all = await uploads();
    expect(all.filter((u) => u.text === 'version 1')).toHaveLength(1);
    expect(all.some((u) => u.text === 'not text')).toBe(false);
  });

  it('reports a blob that keeps failing on webjobs-blobtrigger-poison after maxDequeueCount tries', async () => {
    await container(names.BAD)
      .getBlockBlobClient('broken.bin')
      .uploadData(Buffer.from([1, 2, 3]));
    const poison = QueueServiceClient.fromConnectionString(storage).getQueueClient('webjobs-blobtrigger-poison');
    const message = await waitFor(
      async () => {
        if (!(await poison.exists())) return undefined;
        const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
        return peekedMessageItems
          .map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as Record<string, string>)
          .find((m) => m['ContainerName'] === names.BAD);
      },
      'the poison report',
      15_000,
    );
    expect(message).toMatchObject({
      Type: 'BlobTrigger',
      FunctionId: 'Host.Functions.failing',
      BlobName: 'broken.bin',
    });
    const tries = ((await (await fetch(`${host.url}/api/seen`)).json()) as { failing: string[] }).failing;
    expect(tries).toEqual(['broken.bin', 'broken.bin']);
    expect(host.logs.some((l) => l.includes('blob failure detail'))).toBe(true);
  });

  it('binds blob input and output to HTTP route parameters', async () => {
    await upload('report.csv', 'a,b\n1,2\n');
    const response = await fetch(`${host.url}/api/copy/report.csv`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 8 });
    expect(await text(names.COPIES, 'report.csv')).toBe('a,b\n1,2\n');
    const missing = await fetch(`${host.url}/api/copy/nothing.csv`, { method: 'POST' });
    expect(missing.status).toBe(404);
  });
});

describe('blob trigger path patterns', () => {
  it('matches names and extracts parameters', () => {
    const pattern = parseBlobPattern('Samples/{folder}/{name}.json');
    expect(pattern.container).toBe('samples');
    expect(pattern.prefix).toBe('');
    expect(pattern.match('2026/report.json')).toEqual({ folder: '2026', name: 'report' });
    expect(pattern.match('report.json')).toBeUndefined();
    expect(parseBlobPattern('inbox/raw-{name}').prefix).toBe('raw-');
    expect(parseBlobPattern('inbox/raw-{name}').match('raw-a/b.c')).toEqual({ name: 'a/b.c' });
    expect(() => parseBlobPattern('{c}/{name}')).toThrow(/container must be a fixed name/);
  });
});

import { QueueServiceClient } from '@azure/storage-queue';

import { startFixtureHost, type TestHost } from './testing/helpers';
import { testStorage, uniqueName, waitFor } from './testing/wait';

describe('local Functions host: storage queues with messageEncoding "none"', () => {
  const storage = testStorage();
  const service = QueueServiceClient.fromConnectionString(storage);
  const names = { PLAIN_IN: uniqueName('plainin'), PLAIN_OUT: uniqueName('plainout') };
  let host: TestHost;

  beforeAll(async () => {
    await service.getQueueClient(names.PLAIN_IN).create();
    host = await startFixtureHost('queue-plain-app', { values: { ...names, AzureWebJobsStorage: storage } });
  });
  afterAll(async () => {
    await host?.close();
  });

  const seen = async () => (await (await fetch(`${host.url}/api/seen`)).json()) as { item: unknown; type: string }[];

  it('reads plain text and JSON as sent, and writes output without base64', async () => {
    const input = service.getQueueClient(names.PLAIN_IN);
    await input.sendMessage('plain words, not base64');
    await input.sendMessage('{"kind":"json","n":1}');
    const entries = await waitFor(async () => {
      const list = await seen();
      return list.length >= 2 && list;
    }, 'both plain messages');
    expect(entries).toEqual(
      expect.arrayContaining([
        { item: 'plain words, not base64', type: 'string' },
        { item: { kind: 'json', n: 1 }, type: 'object' },
      ]),
    );
    const out = service.getQueueClient(names.PLAIN_OUT);
    const texts = await waitFor(async () => {
      if (!(await out.exists())) return undefined;
      const { peekedMessageItems } = await out.peekMessages({ numberOfMessages: 5 });
      return peekedMessageItems.length >= 2 && peekedMessageItems.map((m) => m.messageText);
    }, 'the forwarded messages');
    // The object the library parsed goes out as its JSON; the text as it came.
    expect(texts.sort()).toEqual(['plain words, not base64', '{"kind":"json","n":1}'].sort());
  });
});

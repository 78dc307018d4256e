import { QueueServiceClient } from '@azure/storage-queue';

import { queueMessagesOf } from './bindings/queue-output';
import { queueSettingsOf } from './bindings/queue-settings';
import { StoppableDelay } from './bindings/trigger-support';
import { startFixtureHost, type TestHost } from './testing/helpers';
import { testStorage, uniqueName, waitFor } from './testing/wait';

interface WorkSeen {
  item: unknown;
  type: string;
  triggerMetadata: Record<string, unknown>;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const DOTNET_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;

describe('local Functions host: storage queue trigger and output', () => {
  const storage = testStorage();
  const service = QueueServiceClient.fromConnectionString(storage);
  const names = {
    WORK_QUEUE: uniqueName('work'),
    FLAKY_QUEUE: uniqueName('flaky'),
    RELAY_IN_QUEUE: uniqueName('relayin'),
    RELAY_OUT_QUEUE: uniqueName('relayout'),
  };
  let host: TestHost;

  beforeAll(async () => {
    for (const name of [names.WORK_QUEUE, names.FLAKY_QUEUE, names.RELAY_IN_QUEUE]) {
      await service.getQueueClient(name).create();
    }
    host = await startFixtureHost('queue-app', {
      values: { ...names, AzureWebJobsStorage: storage, QueueStorage: storage, AzureWebJobsFallback: storage },
    });
  });
  afterAll(async () => {
    await host?.close();
  });

  const seen = async () => (await (await fetch(`${host.url}/api/seen`)).json()) as Record<string, unknown[]>;
  const work = async () => (await seen())['work'] as WorkSeen[];
  const queue = (name: string) => service.getQueueClient(name);
  const count = async (name: string) => (await queue(name).getProperties()).approximateMessagesCount ?? 0;

  it('decodes a base64 JSON message into an object, with the trigger metadata the extension gives', async () => {
    const sent = await queue(names.WORK_QUEUE).sendMessage(b64(JSON.stringify({ orderId: 7, note: 'hi' })));
    const entry = await waitFor(
      async () => (await work()).find((w) => (w.item as { orderId?: number }).orderId === 7),
      'the JSON message',
    );
    expect(entry.item).toEqual({ orderId: 7, note: 'hi' });
    expect(entry.type).toBe('object');
    const meta = entry.triggerMetadata;
    expect(meta['id']).toBe(sent.messageId);
    expect(meta['dequeueCount']).toBe(1);
    expect(meta['queueTrigger']).toEqual({ orderId: 7, note: 'hi' });
    expect(typeof meta['popReceipt']).toBe('string');
    for (const key of ['insertionTime', 'expirationTime', 'nextVisibleTime']) expect(meta[key]).toMatch(DOTNET_UTC);
    expect(new Date(meta['insertionTime'] as string).getTime()).toBe(
      new Date(sent.insertedOn.toISOString().replace(/\.\d+Z$/, 'Z')).getTime(),
    );
    expect(meta['sys']).toEqual({
      methodName: 'work',
      utcNow: expect.stringMatching(DOTNET_UTC),
      randGuid: expect.any(String),
    });
    // Done: the message was deleted.
    await waitFor(async () => (await count(names.WORK_QUEUE)) === 0, 'the message to be deleted');
  });

  it('hands plain text over as a string', async () => {
    await queue(names.WORK_QUEUE).sendMessage(b64('just some text'));
    const entry = await waitFor(
      async () => (await work()).find((w) => w.item === 'just some text'),
      'the text message',
    );
    expect(entry.type).toBe('string');
  });

  it('moves a message that is not base64 to the poison queue without running the function', async () => {
    const before = (await work()).length;
    await queue(names.WORK_QUEUE).sendMessage('not base64 {at all}');
    const poison = queue(`${names.WORK_QUEUE}-poison`);
    const moved = await waitFor(async () => {
      if (!(await poison.exists())) return undefined;
      const { receivedMessageItems } = await poison.receiveMessages({ numberOfMessages: 1 });
      return receivedMessageItems[0];
    }, 'the poison message');
    expect(moved.messageText).toBe('not base64 {at all}');
    expect((await work()).length).toBe(before);
    expect(host.logs.some((l) => l.includes('is not valid base64') && l.includes(`${names.WORK_QUEUE}-poison`))).toBe(
      true,
    );
  });

  it('retries a failed message after the visibility timeout with a higher dequeue count', async () => {
    await queue(names.FLAKY_QUEUE).sendMessage(b64(JSON.stringify({ id: 'retry', succeedOn: 2 })));
    const tries = await waitFor(async () => {
      const list = ((await seen())['flaky'] as { item: { id: string }; dequeueCount: number }[]).filter(
        (f) => f.item.id === 'retry',
      );
      return list.length >= 2 && list;
    }, 'the second try');
    expect(tries.map((t) => t.dequeueCount)).toEqual([1, 2]);
    await waitFor(async () => (await count(names.FLAKY_QUEUE)) === 0, 'the retried message to be deleted');
    expect(
      host.logs.some((l) => l.includes("Executed 'Functions.flaky' (Failed") && l.includes('flaky failure detail 1')),
    ).toBe(true);
  });

  it('moves a message that fails maxDequeueCount times to <queue>-poison, as stored', async () => {
    const text = b64(JSON.stringify({ id: 'doomed' }));
    await queue(names.FLAKY_QUEUE).sendMessage(text);
    const poison = queue(`${names.FLAKY_QUEUE}-poison`);
    const moved = await waitFor(async () => {
      if (!(await poison.exists())) return undefined;
      const { receivedMessageItems } = await poison.receiveMessages({ numberOfMessages: 1 });
      return receivedMessageItems[0];
    }, 'the doomed message in the poison queue');
    expect(moved.messageText).toBe(text);
    const tries = ((await seen())['flaky'] as { item: { id: string }; dequeueCount: number }[]).filter(
      (f) => f.item.id === 'doomed',
    );
    // host.json maxDequeueCount is 3 in this app.
    expect(tries.map((t) => t.dequeueCount)).toEqual([1, 2, 3]);
    expect(await count(names.FLAKY_QUEUE)).toBe(0);
    expect(
      host.logs.some((l) =>
        l.includes(`Message has reached MaxDequeueCount of 3. Moving message to queue '${names.FLAKY_QUEUE}-poison'.`),
      ),
    ).toBe(true);
  });

  it('sends an output array as one message per item to the trigger', async () => {
    const response = await fetch(`${host.url}/api/enqueue`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ fromHttp: 1 }, 'second from http'] }),
    });
    expect(response.status).toBe(202);
    await waitFor(async () => {
      const items = (await work()).map((w) => w.item);
      return items.some((i) => (i as { fromHttp?: number }).fromHttp === 1) && items.includes('second from http');
    }, 'both messages at the trigger');
  });

  it('writes a return value to a queue named from the message, through the AzureWebJobs<name> fallback setting', async () => {
    await queue(names.RELAY_IN_QUEUE).sendMessage(b64(JSON.stringify({ text: 'relay me', target: 'a1' })));
    const out = queue(`${names.RELAY_OUT_QUEUE}-a1`);
    const messages = await waitFor(async () => {
      if (!(await out.exists())) return undefined;
      const { peekedMessageItems } = await out.peekMessages({ numberOfMessages: 5 });
      return peekedMessageItems.length >= 2 && peekedMessageItems;
    }, 'the relayed messages');
    expect(messages.map((m) => m.messageText)).toEqual([
      b64(JSON.stringify({ relayed: 'relay me' })),
      b64('plain text out'),
    ]);
  });
});

describe('queue settings and messages', () => {
  it('uses the extension defaults', () => {
    expect(queueSettingsOf({})).toEqual({
      batchSize: 16,
      newBatchThreshold: 8,
      maxDequeueCount: 5,
      visibilityTimeoutMs: 0,
      maxPollingIntervalMs: 60_000,
      messageEncoding: 'base64',
    });
    expect(queueSettingsOf({ visibilityTimeout: '00:00:30', messageEncoding: 'None' }).visibilityTimeoutMs).toBe(
      30_000,
    );
    expect(() => queueSettingsOf({ messageEncoding: 'utf8' })).toThrow(/"base64" or "none"/);
    expect(() => queueSettingsOf({ batchSize: 64 })).toThrow(/batchSize must be a whole number from 1 to 32/);
  });

  it('keeps text as it is with messageEncoding none, and sends strings holding JSON unchanged', () => {
    expect(queueMessagesOf({ string: '{"a": 1}' }, 'none')).toEqual(['{"a": 1}']);
    expect(queueMessagesOf({ json: '[{"a":1},"b"]' }, 'none')).toEqual(['{"a":1}', 'b']);
    expect(queueMessagesOf({ bytes: Buffer.from('raw') }, 'base64')).toEqual([b64('raw')]);
    expect(queueMessagesOf({ int: 42 }, 'base64')).toEqual([b64('42')]);
  });
});

describe('listener waits', () => {
  it('end early when woken (a local enqueue) and at once when stopped', async () => {
    const delay = new StoppableDelay();
    const started = Date.now();
    const waiting = delay.wait(60_000);
    delay.wake();
    expect(await waiting).toBe(true);
    // A wake with nobody waiting is kept for the next wait: a write during a poll is not missed.
    delay.wake();
    expect(await delay.wait(60_000)).toBe(true);
    const last = delay.wait(60_000);
    delay.stop();
    expect(await last).toBe(false);
    expect(await delay.wait(60_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
